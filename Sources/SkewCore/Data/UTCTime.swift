import Foundation

/// A moment as operators read it in a refusal or a row: "16:02 UTC" today, "2026-11-24 16:02 UTC" another day.
public enum UTCTime {
    public static func display(_ date: Date, now: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        let sameDay = f.string(from: date) == f.string(from: now)
        f.dateFormat = sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm"
        return f.string(from: date) + " UTC"
    }
}

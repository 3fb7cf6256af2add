import Foundation
import Simulator
import Upgrade

/// The demo's simulated cluster kept beside its journal (`$XDG_STATE_HOME/kubeskew/demo/demo-cluster.json`, 0600) while
/// a run on it is unfinished, so resuming that run acts on the cluster it left, not on the scenario reset.
struct DemoClusterFile: Sendable {
    let url: URL
    /// The demo's kubeconfig, rewritten at every start (new port, new certificates) at the same path.
    let kubeconfigURL: URL

    /// A saved cluster that cannot be used, with the file and the reason.
    struct Problem: Error, Sendable, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// The file beside the journal's `runs` folder.
    init(journal: Journal) {
        url = journal.root.deletingLastPathComponent().appendingPathComponent("demo-cluster.json")
        kubeconfigURL = journal.root.deletingLastPathComponent().appendingPathComponent("demo-kubeconfig")
    }

    /// The folder of both files, 0700.
    func makeFolder() throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Problem(message: "cannot create \(url.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
    }

    /// The saved cluster when it belongs to `runID` (the run offered for resume); nil when there is no file, no run
    /// to resume, or the file belongs to another run.
    func load(for runID: String?) -> Result<SimulatorImage, Problem>? {
        guard let runID, FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let image = try SimulatorImage.read(from: url)
            return image.runID == runID ? .success(image) : nil
        } catch {
            return .failure(Problem(message: "the saved demo cluster is not used (\(error)); the demo starts from the scenario"))
        }
    }

    /// Saves the cluster when `runID`'s run is unfinished (resumable) and returns the file's path; otherwise deletes
    /// a saved cluster, which nothing would resume on, and returns nil.
    func save(_ simulator: RunningSimulator, runID: String, journal: Journal) async -> Result<String, Problem>? {
        guard let state = try? journal.loadState(runID), state.isResumable, state.resumeDeclinedAt == nil else {
            delete()
            return nil
        }
        do {
            try makeFolder()
            try await simulator.image(runID: runID).write(to: url)
            return .success(url.path)
        } catch {
            return .failure(Problem(message: "cannot save the demo cluster to \(url.path): \(error)"))
        }
    }

    func delete() { try? FileManager.default.removeItem(at: url) }
}

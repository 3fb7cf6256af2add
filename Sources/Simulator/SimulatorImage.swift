import Foundation

/// A simulated cluster's whole state, to stop a simulator and start another one where it left off (the demo keeps
/// its cluster across restarts while a run is unfinished): every stored object, node status and cordons included,
/// and what each node's shell knows (packages, versions, holds, repository minor, kubeadm configuration).
public struct SimulatorImage: Sendable {
    /// The scenario the cluster was built from; an image only restarts that scenario.
    public var scenario: String
    /// What the image belongs to, for the caller (the demo: the run that acted on the cluster).
    public var runID: String?
    var objects: [(ResourceType, JSONValue)]
    var extra: Extra

    /// The part of the image that is not API objects.
    struct Extra: Codable, Sendable {
        var packages: [String: NodePackages]
        var shells: [String: NodeShellState]
    }

    static let kind = "KubeskewSimulatorImage"

    /// The objects of one type in the image (for tests and diagnostics).
    public func objects(of type: ResourceType) -> [JSONValue] {
        objects.filter { $0.0 == type }.map(\.1)
    }

    /// An image the simulator cannot start from, naming the file and the problem.
    public struct ImageError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    // MARK: file

    /// Writes the image as JSON, mode 0600, replacing the file atomically.
    public func write(to url: URL) throws {
        let extraBytes: [UInt8]
        do { extraBytes = Array(try JSONEncoder().encode(extra)) } catch {
            throw ImageError(message: "\(url.path): cannot encode the node shells (\(error))")
        }
        let extraValue: JSONValue
        do { extraValue = try JSONParser.parse(extraBytes) } catch {
            throw ImageError(message: "\(url.path): cannot encode the node shells (\(error))")
        }
        var members: [(String, JSONValue)] = [("kind", .string(Self.kind)), ("version", .int(1)), ("scenario", .string(scenario))]
        if let runID { members.append(("runID", .string(runID))) }
        members.append(("objects", .array(objects.map { type, object in
            .object([("resource", .string(type.plural)), ("object", object)])
        })))
        members.append(("nodeState", extraValue))
        let bytes = JSONWriter.bytes(.object(members))
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        guard FileManager.default.createFile(atPath: tmp.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw ImageError(message: "\(tmp.path): cannot be written")
        }
        guard rename(tmp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw ImageError(message: "\(url.path): cannot be replaced (\(reason))")
        }
    }

    /// Reads an image written by `write(to:)`.
    public static func read(from url: URL) throws -> SimulatorImage {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ImageError(message: "\(url.path): cannot be read") }
        let root: JSONValue
        do { root = try JSONParser.parse(Array(data)) } catch { throw ImageError(message: "\(url.path): not JSON (\(error))") }
        guard root["kind"]?.stringValue == kind, root["version"]?.intValue == 1 else {
            throw ImageError(message: "\(url.path): not a kubeskew simulator image")
        }
        guard let scenario = root["scenario"]?.stringValue, let items = root["objects"]?.arrayValue, let extraValue = root["nodeState"] else {
            throw ImageError(message: "\(url.path): incomplete simulator image (scenario, objects or nodeState missing)")
        }
        var objects: [(ResourceType, JSONValue)] = []
        for item in items {
            guard let plural = item["resource"]?.stringValue, let type = ResourceType.all.first(where: { $0.plural == plural }),
                  let object = item["object"], object.objectValue != nil else {
                throw ImageError(message: "\(url.path): an object of an unknown resource \(item["resource"]?.stringValue ?? "?")")
            }
            objects.append((type, object))
        }
        let extra: Extra
        do { extra = try JSONDecoder().decode(Extra.self, from: Data(JSONWriter.bytes(extraValue))) } catch {
            throw ImageError(message: "\(url.path): node shells unreadable (\(error))")
        }
        return SimulatorImage(scenario: scenario, runID: root["runID"]?.stringValue, objects: objects, extra: extra)
    }
}

extension RunningSimulator {
    /// The cluster as it is now; `runID` is stored with it for the caller.
    public func image(runID: String?) async -> SimulatorImage {
        let objects = ResourceType.all.flatMap { type in server.store.all(type).map { (type, $0.object) } }
        let packages = await cluster.allPackages()
        let shells = await self.shells?.allStates() ?? [:]
        return SimulatorImage(scenario: scenarioName, runID: runID, objects: objects, extra: .init(packages: packages, shells: shells))
    }
}

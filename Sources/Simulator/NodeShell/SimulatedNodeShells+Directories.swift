import Foundation

/// The node's directories, as far as the commands kubeskew runs can see them: `mkdir` makes them, and
/// `etcdctl snapshot save` needs the folder of its file, as it does on a real node.
extension SimulatedNodeShells {
    /// Folders every node has before anyone runs a command.
    static let baseDirectories: Set<String> = ["/", "/tmp", "/var", "/var/lib", "/var/backups", "/root", "/etc", "/etc/kubernetes"]

    /// `mkdir [-p] [-m MODE] DIR…` with coreutils' messages.
    func mkdir(_ args: [String], _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        var parents = false
        var operands: [String] = []
        var rest = args[...]
        while let a = rest.popFirst() {
            switch a {
            case "-p", "--parents": parents = true
            case "-m", "--mode": _ = rest.popFirst()
            case "-pm": parents = true; _ = rest.popFirst()
            default:
                if a.hasPrefix("--mode=") || (a.hasPrefix("-m") && a.count > 2) { continue }
                operands.append(a)
            }
        }
        guard !operands.isEmpty else {
            await emit("mkdir: missing operand", true)
            return 1
        }
        var directories = s.directories ?? Self.baseDirectories
        var code: Int32 = 0
        for operand in operands {
            let path = Self.normalized(operand)
            if directories.contains(path) {
                if !parents { await emit("mkdir: cannot create directory ‘\(operand)’: File exists", true); code = 1 }
                continue
            }
            let parent = Self.parent(of: path)
            if !directories.contains(parent) && !parents {
                await emit("mkdir: cannot create directory ‘\(operand)’: No such file or directory", true)
                code = 1
                continue
            }
            var p = path
            while !directories.contains(p) {
                directories.insert(p)
                p = Self.parent(of: p)
            }
        }
        s.directories = directories
        return code
    }

    /// Whether the folder that would hold `file` exists on the node.
    static func folderExists(of file: String, in s: NodeShellState) -> Bool {
        (s.directories ?? baseDirectories).contains(parent(of: normalized(file)))
    }

    static func normalized(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + parts.joined(separator: "/")
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}

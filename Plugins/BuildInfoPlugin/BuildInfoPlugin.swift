import Foundation
import PackagePlugin

/// Writes the git commit kubeskew is built from into a Swift source before every build (`swift build`, `swift run`,
/// `swift test`, the install script alike), so `kubeskew --version` names it with no step to remember. The work is
/// `scripts/build-info` (git only, no network); it rewrites the file only when the commit changes, so an unchanged
/// tree recompiles nothing.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("generated")
        let script = context.package.directoryURL.appendingPathComponent("scripts/build-info")
        return [.prebuildCommand(
            displayName: "kubeskew build info (git commit)",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: [script.path, context.package.directoryURL.path, output.appendingPathComponent("BuildCommit.swift").path],
            outputFilesDirectory: output)]
    }
}

import Foundation
import Synchronization
import Testing
import TestSupport
@testable import NodeExec

@Suite("LocalExecutor: streaming child processes")
struct LocalExecutorTests {
    let executor = LocalExecutor()
    let here = NodeTarget.localhost

    func sh(_ script: String, timeout: Duration? = nil, env: [String: String] = [:]) -> CommandSpec {
        CommandSpec(["/bin/sh", "-c", script], timeout: timeout, environment: env)
    }

    @Test("lines arrive while the command runs, not at exit")
    func streamsBeforeExit() async throws {
        let recorder = OutputRecorder()
        // The command goes on only once "one" has been delivered here: buffered output would never be, and the
        // command would wait; streaming is proven by the order of events, not by timing.
        let go = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-go-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: go) }
        let (executor, here) = (self.executor, self.here)
        let run = Task {
            try await executor.run(self.sh("echo one; while [ ! -e \(go) ]; do sleep 0.05; done; echo two"), on: here,
                                   onOutput: recorder.handler)
        }
        #expect(await recorder.waitForLine(containing: "one") != nil, "the first line must be delivered before exit")
        #expect(FileManager.default.createFile(atPath: go, contents: nil))
        let result = try await run.value
        #expect(result.status == .exited(0))
        #expect(recorder.texts == ["one", "two"])
    }

    @Test("non-zero exit is a result, stderr is tagged and kept in the tail")
    func nonZeroExitAndStderr() async throws {
        let recorder = OutputRecorder()
        let result = try await executor.run(sh("echo out; echo err >&2; exit 3"), on: here, onOutput: recorder.handler)
        #expect(result.status == .exited(3))
        #expect(!result.succeeded)
        #expect(recorder.texts(from: .stdout) == ["out"])
        #expect(recorder.texts(from: .stderr) == ["err"])
        #expect(result.stderrTail == ["err"])
        #expect(result.stdoutLineCount == 1 && result.stderrLineCount == 1)
    }

    @Test("a signal that kills the child is reported as such")
    func signaled() async throws {
        let result = try await executor.run(sh("kill -USR1 $$"), on: here) { _ in }
        #expect(result.status == .signaled(SIGUSR1))
    }

    @Test("every line of a fast producer arrives, and a last line without newline too")
    func completeOutput() async throws {
        let recorder = OutputRecorder()
        let result = try await executor.run(sh("seq 1 50000; printf 'tail-without-newline'"), on: here,
                                            onOutput: recorder.handler)
        #expect(result.status == .exited(0))
        let texts = recorder.texts
        #expect(texts.count == 50_001)
        #expect(texts.first == "1")
        #expect(texts[49_999] == "50000")
        #expect(texts.last == "tail-without-newline")
    }

    @Test("the child gets no stdin: a read sees end of file at once")
    func noStdin() async throws {
        let recorder = OutputRecorder()
        let result = try await executor.run(sh("if read line; then echo got; else echo eof; fi", timeout: .seconds(60)),
                                            on: here, onOutput: recorder.handler)
        #expect(result.status == .exited(0))
        #expect(recorder.texts == ["eof"])
    }

    @Test("environment additions reach the child")
    func environment() async throws {
        let recorder = OutputRecorder()
        _ = try await executor.run(sh("echo \"$KUBESKEW_TEST_VAR\"", env: ["KUBESKEW_TEST_VAR": "it's here"]), on: here,
                                   onOutput: recorder.handler)
        #expect(recorder.texts == ["it's here"])
    }

    @Test("a timeout stops the whole process group, background grandchild included")
    func timeoutKillsGroup() async throws {
        let recorder = OutputRecorder()
        let start = ContinuousClock.now
        let result = try await executor.run(sh("sleep 300 & echo \"child $!\"; wait", timeout: .milliseconds(800)),
                                            on: here, onOutput: recorder.handler)
        #expect(result.status == .timedOut)
        // Far below the 300 s sleep; generous because the whole suite shares 2 cores and can delay any task by seconds.
        #expect(ContinuousClock.now - start < .seconds(120))
        let pid = try #require(recorder.texts.first.flatMap { Int32($0.dropFirst("child ".count)) })
        #expect(await ProcessProbe.waitUntilGone(pid, within: .seconds(30)), "the background sleep \(pid) must die with its group")
    }

    @Test("cancelling the task stops the whole process group, background grandchild included")
    func cancelKillsGroup() async throws {
        let recorder = OutputRecorder()
        let executor = self.executor
        let here = self.here
        let task = Task {
            try await executor.run(CommandSpec(["/bin/sh", "-c", "sleep 300 & echo \"child $!\"; wait"]), on: here,
                                   onOutput: recorder.handler)
        }
        let line = try #require(await recorder.waitForLine(containing: "child "))
        let pid = try #require(Int32(line.text.dropFirst("child ".count)))
        #expect(ProcessProbe.isAlive(pid))
        task.cancel()
        let result = try await task.value
        #expect(result.status == .cancelled)
        #expect(await ProcessProbe.waitUntilGone(pid, within: .seconds(30)), "the background sleep \(pid) must die with its group")
    }

    @Test("a program that does not exist is an error naming it")
    func launchFailure() async throws {
        let error = await #expect(throws: ExecutorError.self) {
            _ = try await executor.run(CommandSpec(["/nonexistent/kubeskew-no-such-tool"]), on: here) { _ in }
        }
        #expect(error?.kind == .launchFailed)
        #expect(error?.message.contains("kubeskew-no-such-tool") == true)
    }

    @Test("invalid commands are refused before anything runs")
    func invalidCommands() async throws {
        for spec in [CommandSpec([]), CommandSpec([""]), CommandSpec(["echo", "a\u{0}b"]),
                     CommandSpec(["echo"], environment: ["BAD NAME": "x"]), CommandSpec(["echo"], timeout: .zero)] {
            let error = await #expect(throws: ExecutorError.self) {
                _ = try await executor.run(spec, on: here) { _ in }
            }
            #expect(error?.kind == .invalidCommand)
        }
    }

    @Test("hostile output is sanitized before it reaches the handler")
    func sanitizesOutput() async throws {
        let recorder = OutputRecorder()
        _ = try await executor.run(sh(#"printf '\033]0;pwned\007\033[2J\033[Hhi \033[31mred\033[0m\r\n50%%\r100%%\n'"#),
                                   on: here, onOutput: recorder.handler)
        #expect(recorder.texts == ["hi red", "100%"])
        let runs = try #require(recorder.all.first?.line.content.runs)
        #expect(runs.map(\.text) == ["hi ", "red"])
        #expect(runs.last?.style.foreground == .ansi(1))
    }

    @Test("privileged commands run without sudo when already root")
    func privilegedAsRoot() async throws {
        try #require(geteuid() == 0, "this check needs the tests to run as root, as they do in CI")
        #expect(!executor.usesSudo)
        let recorder = OutputRecorder()
        let result = try await executor.run(CommandSpec(["id", "-u"], privileged: true), on: here, onOutput: recorder.handler)
        #expect(result.status == .exited(0))
        #expect(recorder.texts == ["0"])
    }

    @Test("100 MB of output without a newline costs bounded memory")
    func hugeOutputIsBounded() async throws {
        let scrollback = ScrollbackBox(maxLines: 100, maxBytes: 64 << 10)
        let result = try await executor.run(sh("head -c 100000000 /dev/zero | tr '\\0' x; echo; echo done"), on: here) {
            scrollback.append($0)
        }
        #expect(result.status == .exited(0))
        let lines = scrollback.lines
        #expect(lines.count == 2, "the 100 MB line is cut once and its rest skipped")
        #expect(lines.first?.content.isTruncated == true)
        #expect((lines.first?.text.utf8.count ?? .max) <= 4096)
        #expect(lines.last?.text == "done")
        #expect(scrollback.byteCount <= 64 << 10)
    }
}

/// A scrollback shared with an output handler.
final class ScrollbackBox: Sendable {
    private let state: Mutex<OutputScrollback>

    init(maxLines: Int, maxBytes: Int) {
        state = Mutex(OutputScrollback(maxLines: maxLines, maxBytes: maxBytes))
    }

    func append(_ line: OutputLine) { state.withLock { $0.append(line) } }
    var lines: [OutputLine] { state.withLock { Array($0.lines) } }
    var byteCount: Int { state.withLock { $0.byteCount } }
}

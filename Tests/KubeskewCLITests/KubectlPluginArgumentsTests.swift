import Testing
@testable import KubeskewCLI

/// `kubectl skew ARGS` runs `kubectl-skew ARGS`: kubectl's global flags may come anywhere, before the subcommand too.
struct KubectlPluginArgumentsTests {
    let subcommands: Set<String> = ["dashboard", "demo", "check", "plan", "upgrade", "history", "version", "sim"]

    func translate(_ args: [String]) throws(KubectlPluginArguments.Refusal) -> [String] {
        try KubectlPluginArguments.translate(args, subcommands: subcommands)
    }

    @Test func globalFlagsBeforeTheSubcommandMoveAfterIt() throws {
        #expect(try translate(["--context", "prod", "check"]) == ["check", "--context=prod"])
        #expect(try translate(["--kubeconfig=/k", "--context=prod", "plan", "node01"])
                == ["plan", "node01", "--kubeconfig=/k", "--context=prod"])
        #expect(try translate(["check", "-o", "json", "--context", "prod"]) == ["check", "-o", "json", "--context=prod"])
    }

    @Test func noSubcommandIsTheDashboard() throws {
        #expect(try translate([]) == [])
        #expect(try translate(["--context", "prod"]) == ["--context=prod"])
        #expect(try translate(["-n", "ops", "--read-only"]) == ["--read-only", "--pod-namespace=ops"])
        #expect(try translate(["--version"]) == ["--version"])
    }

    @Test func namespaceIsTheStepPodsNamespaceWhereCommandsRunElseIgnoredAsKubectlDoesForNodes() throws {
        #expect(try translate(["-n", "ops", "upgrade", "node01"]) == ["upgrade", "node01", "--pod-namespace=ops"])
        #expect(try translate(["plan", "node01", "--namespace=ops"]) == ["plan", "node01", "--pod-namespace=ops"])
        #expect(try translate(["-nops", "check"]) == ["check", "--pod-namespace=ops"])
        #expect(try translate(["-n", "ops", "history"]) == ["history"])
        #expect(try translate(["version", "-n", "ops"]) == ["version"])
    }

    @Test func refusedAndIncompleteFlagsSayWhatToDo() {
        #expect(throws: KubectlPluginArguments.Refusal.self) { try translate(["--user", "admin", "check"]) }
        do {
            _ = try translate(["--cluster=prod", "check"])
            Issue.record("--cluster was accepted")
        } catch {
            #expect(error.message.contains("--cluster is a kubectl flag kubeskew does not take"))
            #expect(error.message.contains("--context NAME"))
        }
        #expect(throws: KubectlPluginArguments.Refusal(message: "kubectl skew: --context needs a value (--context NAME or --context=NAME)")) {
            try translate(["check", "--context"])
        }
        #expect(throws: KubectlPluginArguments.Refusal.self) { try translate(["--kubeconfig", "--context", "x"]) }
        #expect(throws: KubectlPluginArguments.Refusal.self) { try translate(["-n=", "check"]) }
    }

    @Test func wordsAfterDashDashAndInternalCallsAreLeftAlone() throws {
        #expect(try translate(["--context", "c", "sim-exec", "--node", "n", "--", "kubeadm", "--context", "x"])
                == ["sim-exec", "--node", "n", "--context=c", "--", "kubeadm", "--context", "x"])
        let completion = ["---completion", "upgrade", "--", "positional@0", "1", "0", "kubeskew", "--context", "x"]
        #expect(try translate(completion) == completion)
        #expect(try translate(["--generate-completion-script", "bash"]) == ["--generate-completion-script", "bash"])
    }

    @Test func otherFlagsNamedLikeKubectlsAreNotTaken() throws {
        #expect(try translate(["sim", "--kubeconfig-out", "/k"]) == ["sim", "--kubeconfig-out", "/k"])
    }
}

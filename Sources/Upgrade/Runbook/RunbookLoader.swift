import Yams

/// Reads runbooks from YAML and refuses any that could do something unsafe or that the renderer cannot fill in.
public enum RunbookLoader {
    /// The runbooks shipped in the binary (`Assets/runbooks/`, embedded by `scripts/embed-assets`), by package manager.
    public static func embedded() throws(RunbookError) -> [PackageManager: Runbook] {
        var runbooks: [PackageManager: Runbook] = [:]
        for name in EmbeddedRunbooks.files.keys.sorted() where name.hasSuffix(".yaml") {
            let runbook = try parse(EmbeddedRunbooks.files[name] ?? "", origin: name)
            if let earlier = runbooks[runbook.packageManager] {
                throw RunbookError(name, "a second runbook for \(runbook.packageManager.rawValue) (first: \(earlier.origin))")
            }
            runbooks[runbook.packageManager] = runbook
        }
        for manager in PackageManager.allCases where runbooks[manager] == nil {
            throw RunbookError("embedded runbooks", "no runbook for \(manager.rawValue)")
        }
        return runbooks
    }

    /// Parses and validates one runbook; `origin` names it in error messages.
    public static func parse(_ yaml: String, origin: String) throws(RunbookError) -> Runbook {
        let raw: RawRunbook
        do {
            raw = try YAMLDecoder().decode(RawRunbook.self, from: yaml)
        } catch {
            throw RunbookError(origin, "not a valid runbook: \(error)")
        }
        guard let manager = PackageManager(rawValue: raw.packageManager) else {
            throw RunbookError(origin, "unknown packageManager \(raw.packageManager) (expected \(PackageManager.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var seen: Set<String> = []
        var steps: [RunbookStep] = []
        for rawStep in raw.steps {
            let step = try validate(rawStep, origin: origin)
            guard seen.insert(step.id).inserted else { throw RunbookError(origin, step: step.id, "duplicate step id") }
            steps.append(step)
        }
        try checkOrder(steps, origin: origin)
        return Runbook(packageManager: manager, steps: steps, origin: origin)
    }

    private static func validate(_ raw: RawStep, origin: String) throws(RunbookError) -> RunbookStep {
        let id = raw.id
        func fail(_ detail: String) -> RunbookError { RunbookError(origin, step: id, detail) }
        guard !id.isEmpty, id.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else {
            throw RunbookError(origin, "step id \(id) must be lower-case letters, digits and '-'")
        }
        guard let kind = PlannedStep.Kind(rawValue: raw.kind) else { throw fail("unknown kind \(raw.kind)") }
        guard let location = PlannedStep.Location(rawValue: raw.where) else {
            throw fail("unknown where \(raw.where) (node or control-plane)")
        }
        guard let condition = RunbookStep.Condition(rawValue: raw.when ?? "always") else {
            throw fail("unknown when \(raw.when ?? "") (always or minor-change)")
        }
        let privileged = raw.privileged ?? false
        if privileged && location == .controlPlane {
            throw fail("control-plane steps run kubectl as the operator and cannot be privileged")
        }
        let skippable = raw.skippable ?? false
        if skippable && [.drain, .installKubelet, .waitReady, .uncordon].contains(kind) {
            throw fail("a \(kind.rawValue) step can never be skipped")
        }
        let timeout = raw.timeoutSeconds ?? 600
        guard timeout > 0 || (timeout == 0 && kind == .drain), timeout <= 86_400 else {
            throw fail("timeoutSeconds \(timeout) is out of range (1-86400; 0 only for the drain)")
        }
        let commands = raw.commands ?? []
        let waitsForNode: Bool
        switch raw.wait {
        case nil:
            waitsForNode = false
            guard !commands.isEmpty, commands.allSatisfy({ !($0.first ?? "").isEmpty }) else {
                throw fail("needs commands, each a non-empty argv")
            }
        case "node-ready"?:
            waitsForNode = true
            guard commands.isEmpty, raw.check == nil, kind == .waitReady else {
                throw fail("a node-ready wait is a wait-ready step with no commands and no check")
            }
        case let other?:
            throw fail("unknown wait \(other) (node-ready)")
        }
        for argv in commands { try checkTemplates(argv, allowLists: true, fail: fail) }
        try checkTemplates([raw.name], allowLists: false, fail: fail)
        var check: RunbookCheck?
        if let rawCheck = raw.check {
            guard !(rawCheck.argv.first ?? "").isEmpty else { throw fail("check needs a non-empty argv") }
            try checkTemplates(rawCheck.argv + [rawCheck.expectOutput ?? ""], allowLists: false, fail: fail)
            check = RunbookCheck(argv: rawCheck.argv, expectOutput: rawCheck.expectOutput)
        }
        return RunbookStep(id: id, name: raw.name, kind: kind, location: location, condition: condition,
                           privileged: privileged, idempotent: raw.idempotent ?? false, skippable: skippable,
                           timeoutSeconds: timeout, commands: commands, check: check, waitsForNode: waitsForNode)
    }

    /// Every placeholder must be known; list placeholders only as whole argv elements.
    private static func checkTemplates(_ elements: [String], allowLists: Bool,
                                       fail: (String) -> RunbookError) throws(RunbookError) {
        for element in elements {
            if allowLists, RunbookPlaceholder.listName(of: element) != nil { continue }
            if element.utf8.contains(0) { throw fail("a template contains a NUL byte") }
            for name in RunbookPlaceholder.names(in: element) where !RunbookPlaceholder.scalars.contains(name) {
                if RunbookPlaceholder.lists.contains(name) {
                    throw fail("{\(name)} must be a whole argv element of a command")
                }
                throw fail("unknown placeholder {\(name)} in \(element)")
            }
        }
    }

    /// The safety order of the procedure: drain before the kubelet changes, the gate after the restart, uncordon last.
    private static func checkOrder(_ steps: [RunbookStep], origin: String) throws(RunbookError) {
        func position(_ kind: PlannedStep.Kind) -> Int? { steps.firstIndex { $0.kind == kind } }
        guard let drain = position(.drain), let install = position(.installKubelet), let restart = position(.restartKubelet),
              let wait = position(.waitReady), let uncordon = position(.uncordon) else {
            throw RunbookError(origin, "a runbook needs drain, install-kubelet, restart-kubelet, wait-ready and uncordon steps")
        }
        guard drain < install, install < restart, restart < wait, wait < uncordon, uncordon == steps.count - 1 else {
            throw RunbookError(origin, "steps out of order: drain, install-kubelet, restart-kubelet, wait-ready, then uncordon last")
        }
        if let repository = position(.repository), let kubeadm = position(.installKubeadm), repository > kubeadm {
            throw RunbookError(origin, "the repository switch must come before installing kubeadm")
        }
    }
}

/// The YAML as written, before validation.
private struct RawRunbook: Decodable {
    let packageManager: String
    let steps: [RawStep]
}

private struct RawStep: Decodable {
    let id: String
    let name: String
    let kind: String
    let `where`: String
    let when: String?
    let privileged: Bool?
    let idempotent: Bool?
    let skippable: Bool?
    let timeoutSeconds: Int?
    let commands: [[String]]?
    let check: RawCheck?
    let wait: String?
}

private struct RawCheck: Decodable {
    let argv: [String]
    let expectOutput: String?
}

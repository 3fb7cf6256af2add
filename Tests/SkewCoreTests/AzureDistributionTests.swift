import Testing
@testable import SkewCore

/// Azure is a cloud, AKS is a product on it. Every VM the Azure cloud provider knows reports
/// `azure:///subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/...` as its providerID, so a
/// self-managed kubeadm cluster on Azure VMs has exactly the providerIDs an AKS node has. Only AKS's own markers say AKS:
/// - the labels AKS puts on every node of its node pools: `kubernetes.azure.com/cluster` (the node resource group,
///   `MC_<group>_<cluster>_<region>` by default), `kubernetes.azure.com/agentpool`, `kubernetes.azure.com/mode`,
///   `kubernetes.azure.com/node-image-version` (AKS docs "Use labels in an AKS cluster", reserved system labels) —
///   not every `kubernetes.azure.com/` label: "Azure cloud provider now supports unmanaged nodes (such as on-prem)
///   that are labeled with `kubernetes.azure.com/managed=false`" (kubernetes/kubernetes#67984, CHANGELOG-1.12);
/// - the node names AKS gives its VMs: `aks-<pool>-<8 digits>-vmss<6 base-36>` (scale sets) or
///   `aks-<pool>-<8 digits>-<n>` (availability sets);
/// - a providerID in AKS's node resource group (`resourceGroups/MC_…`, the default node resource group name).
/// The kernel (`…-azure`) and the OS image (Ubuntu, Azure Linux) are those of any Azure VM, so they say nothing.
struct AzureDistributionTests {
    let plain = KubeVersion.parse("v1.33.2")
    let selfManagedID = "azure:///subscriptions/0d0a3c1e-1111-2222-3333-444455556666/resourceGroups/k8s-prod/providers/Microsoft.Compute/virtualMachines/worker-1"

    @Test func selfManagedKubeadmNodeOnAnAzureVMIsUpgradable() {
        let d = Distribution.detect(kubeletVersion: plain, providerID: selfManagedID,
                                    labels: ["kubernetes.io/hostname": "worker-1", "topology.kubernetes.io/region": "westeurope"],
                                    osImage: "Ubuntu 22.04.5 LTS")
        #expect(d == .vanilla)
        #expect(d.isKubeadmManageable)
    }

    @Test func theAssessorPlansAnAzureVMNode() {
        let a = Assessor(context: AssessmentContext(today: CalendarDate(year: 2026, month: 11, day: 25))).assess(ClusterFacts(
            apiserverVersions: ["v1.33.3"],
            nodes: [NodeFacts(name: "worker-1", kubeletVersion: "v1.33.2", providerID: selfManagedID, osImage: "Ubuntu 22.04.5 LTS")]))
        #expect(a.nodes[0].distribution == .vanilla)
        #expect(a.nodes[0].pathProblem == nil)
    }

    // A self-managed node the Azure cloud provider is told not to manage.
    @Test func theCloudProvidersUnmanagedLabelIsNotAKS() {
        let d = Distribution.detect(kubeletVersion: plain, providerID: selfManagedID,
                                    labels: ["kubernetes.azure.com/managed": "false"], osImage: nil, nodeName: "worker-1")
        #expect(d == .vanilla)
    }

    @Test(arguments: ["kubernetes.azure.com/cluster", "kubernetes.azure.com/agentpool", "kubernetes.azure.com/node-image-version"])
    func aksLabelsSayAKS(label: String) {
        #expect(Distribution.detect(kubeletVersion: plain, providerID: selfManagedID, labels: [label: "x"], osImage: nil) == .aks)
    }

    @Test(arguments: ["aks-nodepool1-12345678-vmss000000", "aks-system-38141829-vmss00000a", "aks-agentpool-30281523-0"])
    func aksNodeNamesSayAKS(name: String) {
        #expect(Distribution.detect(kubeletVersion: plain, providerID: nil, labels: [:], osImage: nil, nodeName: name) == .aks)
    }

    @Test(arguments: ["aks-worker-1", "aks-nodepool1-1234-vmss000000", "worker-aks-12345678-vmss000000"])
    func namesThatOnlyLookLikeAKSDoNot(name: String) {
        #expect(Distribution.detect(kubeletVersion: plain, providerID: selfManagedID, labels: [:], osImage: nil, nodeName: name) == .vanilla)
    }

    @Test func aksNodeResourceGroupSaysAKS() {
        let id = "azure:///subscriptions/0d0a3c1e-1111-2222-3333-444455556666/resourceGroups/mc_shop_prod-aks_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-12345678-vmss/virtualMachines/0"
        #expect(Distribution.detect(kubeletVersion: plain, providerID: id, labels: [:], osImage: nil) == .aks)
    }
}

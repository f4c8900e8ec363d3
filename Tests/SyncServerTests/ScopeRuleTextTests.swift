import SyncModel
import Testing

/// The agreement property test asks SyncModel's scope rule what each station must hold; this
/// holds that rule to SPEC §10 "Scope" in its own words, over every pair of units of the
/// agreement tree, so that the property cannot pass by agreeing with a wrong rule.
@Suite("Scope rule against SPEC §10")
struct ScopeRuleTextTests {
    @Test("sees = a unit in the subtree or above it; owns = a unit in the subtree; for both scopes")
    func ruleSaysWhatTheSpecSays() {
        let tree = AgreementTree()
        // Given: every station unit, and every record place (scope, optional second scope).
        for unit in tree.ids {
            let subtree = tree.subtree(of: unit)
            let above = tree.ancestors(of: unit)
            for scope in tree.ids {
                for scope2 in [nil] + tree.ids.map(Optional.some) {
                    let units = [scope] + (scope2.map { [$0] } ?? [])
                    // When: the shared rule is asked how the record reaches the station.
                    let got = ScopeRuleUnderTest.visibility(of: RecordPlace(scope: scope, scope2: scope2), station: unit, tree: tree)
                    // Then: it is what the SPEC's sentences say.
                    let owns = units.contains(where: subtree.contains)
                    let sees = owns || units.contains(where: above.contains)
                    let want: Visibility = owns ? .whole : sees ? .withoutPersonal : .hidden
                    #expect(got == want, "station at \(unit), record at \(scope) / \(scope2 ?? "-")")
                }
            }
            // And: a record that lies nowhere reaches no one.
            #expect(ScopeRuleUnderTest.visibility(of: .unplaced, station: unit, tree: tree) == .hidden)
        }
    }
}

import Foundation
import GRDB
import Logging
public import SyncModel
import SyncStore

extension SyncEngine {
    /// Asks the hub for the names of the sites whose changes this station receives (`GET
    /// /v1/sites`) when the round brought changes or records, or the station has none yet, and
    /// keeps them with the replica for `explain`. Names are a convenience: a hub without the
    /// route (an older one), a transport that has none or a failure leaves the names as they
    /// were and the round goes on.
    func learnSiteNames(after summary: SyncSummary) async {
        do {
            let known = try store.read { db in try Meta.siteNames.read(db) }
            guard known == nil || summary.pulled > 0 || summary.installed > 0 || summary.bootstrapped else { return }
            let response = try await transport.sites()
            let names = Dictionary(response.sites.map { ($0.site.hex, $0.name) }, uniquingKeysWith: { first, _ in first })
            let text = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
            try store.write { db in try Meta.siteNames.write(text, db) }
        } catch {
            logger.debug("sync.sites.skipped", metadata: ["sync.error": "\((error as? SyncError)?.code.rawValue ?? "other")"])
        }
    }
}

extension ReplicaStore {
    /// The names of sites as the hub last gave them (``SyncEngine/learnSiteNames(after:)``),
    /// by site; empty before the first sync with a hub that names them.
    func siteNames() throws(SyncError) -> [SiteID: String] {
        guard let text = try read({ db in try Meta.siteNames.read(db) }),
            let names = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        else { return [:] }
        return Dictionary(names.compactMap { key, name in SiteID(hex: key).map { ($0, name) } }, uniquingKeysWith: { first, _ in first })
    }
}

extension Station {
    /// The names of the sites whose changes this station received, as its hub last gave them
    /// (the hub's own site is `hub`); empty before the first sync with a hub that names them.
    public func siteNames() throws(SyncError) -> [SiteID: String] {
        try store.siteNames()
    }
}

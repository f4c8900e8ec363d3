import Foundation
import Testing
import TributaryTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The real executables on files that are not what they seem (SPEC §16 "File kinds and format
/// versions"): `init --force` replaces only a station replica and keeps a copy, each program
/// refuses the other's files, empty, newer and damaged files, and writes nothing into them.
@Suite("File kinds end to end (processes)", .ownThreads)
struct FileKindEndToEndTests {
    let directory = TemporaryDirectory("e2e-files")

    func station(_ name: String) -> StationProcess {
        StationProcess(database: directory.path(name), name: name)
    }

    func hub(_ args: String...) throws -> ToolResult {
        try CLIRunner.runTool(name: "tributary-hub", args: args)
    }

    /// Whether `result` failed with exactly one line `error: store_invalid: …` containing `text`.
    func refused(_ result: ToolResult, _ text: String) -> Bool {
        result.status == 1 && result.errorLines.count == 1 && result.firstErrorLine.hasPrefix("error: store_invalid: ")
            && result.firstErrorLine.contains(text)
    }

    @Test("init --force refuses a hub file, a text file, a directory, a pipe and a device node, and changes nothing")
    func forceRefusesWhatIsNotAReplica() throws {
        // Given a live hub file with the county's tree and a station, a text file, a directory and a pipe
        let hubPath = directory.path("hub.db")
        let sample = CLIRunner.root.appendingPathComponent("Protocol/examples/sample-county.csv").path
        #expect(try hub("org", "import", "--db", hubPath, sample).status == 0)
        #expect(try hub("station", "add", "--db", hubPath, "--org", "yc-t01", "--name", "桃城镇").status == 0)
        let text = directory.path("notes.txt")
        FileManager.default.createFile(atPath: text, contents: Data("会议记录\n".utf8))
        let folder = directory.path("folder.db")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: folder + "/keep", contents: Data("x".utf8))
        let pipe = directory.path("pipe.db")
        #expect(mkfifo(pipe, 0o600) == 0)
        var targets = [(hubPath, "is a hub file"), (text, "not an SQLite database"), (folder, "is a directory"), (pipe, "is a pipe")]
        // As root, a device node like /dev/null (made here: the test never points at the real one)
        let device = directory.path("null.db")
        if geteuid() == 0, mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0 { targets.append((device, "is a device")) }
        let before = [hubPath, text].map { StoreFiles.bytes($0) }

        // When `tributary init --force` is pointed at each
        for (path, what) in targets {
            let result = try StationProcess(database: path, name: "x").run(["init", "--org", "yc-t01", "--force"])
            // Then it is refused, saying what the file is, and nothing is replaced
            #expect(refused(result, "--force replaces only a station replica"), "\(path): \(result.stderr)")
            #expect(result.firstErrorLine.contains(what), "\(result.stderr)")
        }
        #expect([hubPath, text].map { StoreFiles.bytes($0) } == before)
        #expect(FileManager.default.fileExists(atPath: folder + "/keep"))
        for special in [pipe, device] where FileManager.default.fileExists(atPath: special) {
            var info = stat()
            #expect(stat(special, &info) == 0 && info.st_mode & S_IFMT != S_IFREG, "\(special) was replaced by a regular file")
        }
        let stations = try hub("station", "list", "--db", hubPath, "--json")
        #expect(stations.status == 0, "\(stations.stderr)")
        #expect((try stations.json() as? [Any])?.count == 1)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(!left.contains { $0.contains(".replaced-") }, "\(left)")
    }

    @Test("init --force replaces a station replica, keeping it aside as a copy it names; an empty file it just replaces")
    func forceKeepsACopy() throws {
        // Given a station replica holding a member
        let old = station("station.db")
        try old.ok("init", "--org", "yc-t01")
        try OrgTreeSeed.install(OrgTreeSeed.township, into: old.database)
        let id = try old.ok("put", "member", "name=林秀英", "orgUnitId=yc-t01", "category=retired")

        // When it is replaced
        let result = try old.run(["init", "--org", "yc-t02", "--force"])

        // Then stdout names the copy, which still holds the member; the new replica is empty
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("kept the replaced replica as ") })
        let copy = String(line.dropFirst("kept the replaced replica as ".count))
        #expect(copy.hasPrefix(old.database + ".replaced-"))
        #expect(try StationProcess(database: copy, name: "copy").ok("get", "member", id, "--json").contains("林秀英"))
        #expect(try old.run(["get", "member", id]).status != 0)
        #expect(try old.run(["status", "--json"]).jsonObject()["org"] as? String == "yc-t02")

        // Given an empty station.db (a crash before its first page, a `touch`)
        let empty = station("empty.db")
        _ = FileManager.default.createFile(atPath: empty.database, contents: Data())
        // Then `status` says it is not a station replica and writes nothing into it
        let status = try empty.run(["status"])
        #expect(refused(status, "is an empty file, not a station replica"), "\(status.stderr)")
        #expect(status.firstErrorLine.contains("init --force"))
        #expect(StoreFiles.size(empty.database) == 0)
        #expect(refused(try empty.run(["put", "member", "m-1", "name=林秀英", "orgUnitId=yc", "category=retired"]), "empty file"))
        #expect(StoreFiles.size(empty.database) == 0)
        // And `init` without --force refuses, with --force replaces it (no copy of nothing is kept)
        #expect(try empty.run(["init", "--org", "yc"]).status == 1)
        let forced = try empty.run(["init", "--org", "yc", "--force", "--json"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try forced.jsonObject()["replaced"] == nil)
        try empty.ok("status")
    }

    @Test("each program refuses the other's files: a hub command or serve on a station replica, a station command on a hub file")
    func wrongKind() throws {
        // Given a station replica and a hub file
        let replica = station("station.db")
        try replica.ok("init", "--org", "yc")
        try OrgTreeSeed.install(OrgTreeSeed.township, into: replica.database)
        let hubPath = directory.path("hub.db")
        let sample = CLIRunner.root.appendingPathComponent("Protocol/examples/sample-county.csv").path
        #expect(try hub("org", "import", "--db", hubPath, sample).status == 0)
        let before = StoreFiles.bytes(replica.database)

        // When hub commands open the replica / Then they refuse and do not migrate it into a hub
        for args in [["station", "list"], ["org", "list"], ["report", "members"]] {
            let result = try CLIRunner.runTool(name: "tributary-hub", args: args + ["--db", replica.database])
            #expect(refused(result, "is a station replica, not a hub file"), "\(args): \(result.stderr)")
        }
        #expect(StoreFiles.bytes(replica.database) == before)
        try replica.ok("status")

        // When a station command opens the hub file / Then the same
        let status = try StationProcess(database: hubPath, name: "hub").run(["status"])
        #expect(refused(status, "is a hub file, not a station replica"), "\(status.stderr)")
    }

    @Test("a damaged replica: put does not succeed on it, status reads it or calls it damaged, and neither writes to it")
    func damaged() throws {
        // Given a replica of 300 members, part of which random bytes then overwrite
        let replica = station("station.db")
        try replica.ok("init", "--org", "yc-t01")
        try OrgTreeSeed.install(OrgTreeSeed.township, into: replica.database)
        let members = (0..<300).map { #"{"type":"member","id":"m-\#($0)","fields":{"name":"林秀英\#($0)","orgUnitId":"yc-t01","category":"retired"}}"# }
        #expect(try replica.run(["import", "-"], stdin: members.joined(separator: "\n")).status == 0)
        let size = StoreFiles.size(replica.database)
        try StoreFiles.damage(replica.database, offset: size / 2, count: 4 * 4096)
        let before = StoreFiles.bytes(replica.database)

        // When status runs / Then it reads (a read that meets the damage says so), writing nothing
        let status = try replica.run(["status"])
        #expect(status.status == 0 || refused(status, "is damaged"), "\(status.stderr)")
        #expect(StoreFiles.bytes(replica.database) == before)
        // When a put runs / Then it is refused with store_invalid saying the file is damaged, and nothing is written
        let put = try replica.run(["put", "member", "m-new", "name=王建国", "orgUnitId=yc-t01", "category=direct"])
        #expect(refused(put, "is damaged"), "\(put.stderr)")
        #expect(put.firstErrorLine.contains("backup"))
        #expect(StoreFiles.bytes(replica.database) == before)
    }

    @Test("a replica written by a newer version is refused by every command, untouched")
    func newerVersion() throws {
        let replica = station("station.db")
        try replica.ok("init", "--org", "yc")
        try StoreFiles.addMigration("replica-v2-attachments", to: replica.database)
        let before = StoreFiles.bytes(replica.database)
        for args in [["status"], ["put", "member", "m-1", "name=林秀英", "orgUnitId=yc", "category=retired"], ["list", "member"]] {
            let result = try replica.run(args)
            #expect(refused(result, "was written by a newer version of Tributary"), "\(args): \(result.stderr)")
        }
        #expect(StoreFiles.bytes(replica.database) == before)
    }
}

import Foundation
import Testing
import TributaryTestSupport

/// The browser test: runs Scripts/dashboard-screenshot.sh (a live hub fed by real station
/// processes, headless Chromium signed in with a session cookie) and checks the PNGs: the
/// desktop page, and the county, a township and its Records card at a phone's width (390 px), which the
/// script measured no wider than the viewport. Runs when `chromium` is on PATH (`.ci/run`
/// installs Debian's `chromium`) and the executables are built (`swift build --build-tests`
/// builds them); under `CI=true` it always runs, so a missing browser fails it.
@Suite(.enabled(if: ScreenshotPrerequisites.shouldRun, "needs chromium on PATH and the built executables (swift build)"), .ownThreads)
struct DashboardScreenshotTests {
    @Test func screenshotOfTheLiveDashboard() throws {
        try run()
    }
}

/// Where the script and the executables are, and whether the browser test can run.
enum ScreenshotPrerequisites {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bin = root.appendingPathComponent(".build/debug")

    static var chromium: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/chromium") || FileManager.default.isExecutableFile(atPath: "\($0)/chromium-browser")
        }
    }

    static var ready: Bool {
        chromium && ["tributary-hub", "tributary"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent($0).path)
        }
    }

    /// Whether the browser test runs: when it can, and always under CI (where it then fails).
    static var shouldRun: Bool { ready || ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A PNG's width and height in pixels (its IHDR chunk).
    static func size(ofPNG png: Data) -> (width: Int, height: Int)? {
        guard png.count > 24, png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        let bytes = [UInt8](png)
        return (bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, bytes[20..<24].reduce(0) { $0 << 8 | Int($1) })
    }

}

extension DashboardScreenshotTests {
    func run() throws {
        // Given chromium and the built executables (under CI their absence is a failure)
        try #require(ScreenshotPrerequisites.chromium, "chromium is not installed: apt-get install -y chromium")
        try #require(ScreenshotPrerequisites.ready, "build the executables first: swift build")
        let directory = TemporaryDirectory("screenshot")
        let output = directory.path("dashboard.png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [ScreenshotPrerequisites.root.appendingPathComponent("Scripts/dashboard-screenshot.sh").path, output]
        process.currentDirectoryURL = ScreenshotPrerequisites.root
        var environment = ProcessInfo.processInfo.environment
        environment["TRIBUTARY_BIN"] = ScreenshotPrerequisites.bin.path
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice  // (an unread pipe would stall the script once full)
        // When it runs (it checks the page's HTML for the charts, sync table and links itself)
        try process.run()
        let log = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: log.suffix(2_000), as: UTF8.self))")
        // Then a full-width PNG of the whole page was written
        let png = try Data(contentsOf: URL(fileURLWithPath: output))
        let size = try #require(ScreenshotPrerequisites.size(ofPNG: png))
        #expect(size.width == 1280 && size.height > 1_000)
        #expect(png.count > 50_000)
        // And at 390 px the county, a township and its service orders (a wide table in the Records
        // card) were no wider than the phone (the script
        // measured the document's scroll width and the unit names' widths) and are whole pages
        for phone in ["dashboard-390.png", "dashboard-390-township.png", "dashboard-390-records.png"] {
            let shot = try Data(contentsOf: URL(fileURLWithPath: directory.path(phone)))
            let size = try #require(ScreenshotPrerequisites.size(ofPNG: shot), "\(phone) is not a PNG")
            #expect(size.width == 390 && size.height > 844, "\(phone): \(size)")
        }
    }
}

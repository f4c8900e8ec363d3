import Foundation
import Testing
import TributaryTestSupport

/// The browser test: runs Scripts/dashboard-screenshot.sh (a live hub fed by real station
/// processes, headless Chromium signed in with a session cookie) and checks the PNG. Runs only
/// when `chromium` is on PATH and the executables are built (`swift build`), since it starts
/// them rather than building inside a test run.
@Suite(.enabled(if: ScreenshotPrerequisites.ready))
struct DashboardScreenshotTests {
    @Test func screenshotOfTheLiveDashboard() throws {
        try run()
    }
}

/// Where the script and the executables are, and whether the browser test can run.
enum ScreenshotPrerequisites {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bin = root.appendingPathComponent(".build/debug")

    static var ready: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let chromium = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/chromium") }
        return chromium && ["tributary-hub", "tributary"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent($0).path)
        }
    }

}

extension DashboardScreenshotTests {
    func run() throws {
        // Given the script and the built executables
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
        process.standardOutput = Pipe()
        // When it runs (it checks the page's HTML for the charts, sync table and links itself)
        try process.run()
        let log = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: log.suffix(2_000), as: UTF8.self))")
        // Then a full-width PNG of the whole page was written
        let png = try Data(contentsOf: URL(fileURLWithPath: output))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280 && height > 1_000)
        #expect(png.count > 50_000)
    }
}

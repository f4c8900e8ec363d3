import CountyWork
import Foundation
import Testing

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test("A date parses from and prints as YYYY-MM-DD")
    func parseAndPrint() throws {
        let date = try #require(CalendarDate("2025-04-26"))
        #expect(date.year == 2025 && date.month == 4 && date.day == 26)
        #expect(date.description == "2025-04-26")
        #expect(CalendarDate(year: 7, month: 1, day: 2)?.description == "0007-01-02")
    }

    @Test(
        "Text that is not a real day YYYY-MM-DD is refused",
        arguments: [
            "", "2025-4-26", "2025/04/26", "25-04-26", "2025-04-26T00:00", "2025-13-01", "2025-00-10", "2025-04-00",
            "2025-04-31", "2025-02-29", "1900-02-29", "0000-01-01", "２０２５-04-26", "+025-04-26", "2025-04-2a",
        ])
    func refused(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test("Leap days exist only in leap years")
    func leapDays() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2000-02-29") != nil)
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
    }

    @Test("Dates order by day")
    func ordering() throws {
        let days = ["2025-12-31", "2024-01-01", "2025-01-31", "2025-02-01"].compactMap(CalendarDate.init)
        #expect(days.sorted().map(\.description) == ["2024-01-01", "2025-01-31", "2025-02-01", "2025-12-31"])
    }

    @Test("A date is coded as its string")
    func codable() throws {
        // Given a date in a JSON array
        let date = try #require(CalendarDate("2025-04-26"))
        // When it is encoded and decoded
        let data = try JSONEncoder().encode([date])
        // Then it is the plain string, and it reads back
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-04-26"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2025-02-30"]"#.utf8))
        }
    }

    @Test("The day of an instant depends on the time zone")
    func fromDate() throws {
        // Given 2025-04-25 20:00 UTC, which is already 04-26 in Beijing
        let instant = Date(timeIntervalSince1970: 1_745_611_200)
        let utc = try #require(TimeZone(identifier: "UTC"))
        let beijing = try #require(TimeZone(identifier: "Asia/Shanghai"))
        // Then the calendar dates differ by zone
        #expect(CalendarDate(instant, in: utc).description == "2025-04-25")
        #expect(CalendarDate(instant, in: beijing).description == "2025-04-26")
    }
}

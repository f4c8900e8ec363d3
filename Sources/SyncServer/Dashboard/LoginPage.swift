/// The view model of the sign-in page.
struct LoginPage: Sendable {
    var t: [String: String]
    var lang: String
    var otherLang: String
    var error: String?
    var signedIn = false
    var generated: String?
    /// The page to go to after signing in (a path on this hub).
    var next: String?

    init(language: ReportLanguage, error: String? = nil, next: String? = nil) {
        self.t = DashboardPage.labels(language)
        self.lang = language.htmlTag
        self.otherLang = language == .zh ? "en" : "zh"
        self.error = error
        self.next = next == "/" ? nil : next
    }
}

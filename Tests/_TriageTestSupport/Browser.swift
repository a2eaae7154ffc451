import Foundation

/// Headless Chromium for the layout checks of the HTML pages (not installed by CI: tests skip without it).
package enum Browser {
    /// The browser, when installed (`apt-get install chromium`).
    package static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// How wide the page `html` lays out in a window `width` pixels wide (its document's scroll width): a copy
    /// of the page with a one-line script that writes the width into its title, read back from the DOM.
    package static func layoutWidth(of html: String, at width: Int) throws -> Int? {
        guard let path else { return nil }
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let probe = dir.appendingPathComponent("probe.html")
        try html.replacingOccurrences(
            of: "</body>", with: "<script>document.title='W'+document.documentElement.scrollWidth</script></body>"
        ).write(to: probe, atomically: true, encoding: .utf8)
        let r = try Triage.run(
            ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=\(width),800", "--dump-dom", probe.absoluteString],
            executable: URL(fileURLWithPath: path))
        guard let title = r.out.range(of: "<title>W")?.upperBound else { return nil }
        return Int(r.out[title...].prefix { $0.isNumber })
    }
}

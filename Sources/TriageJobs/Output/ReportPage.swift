/// The look shared by the HTML pages `triage` writes (the compare report, the sweep, the run report): one style sheet,
/// no scripts, fonts or images from the network.
enum ReportPage {
    /// `<!DOCTYPE html>` to the opening `<body>`, with the shared style sheet and `title` (escaped here).
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>\(esc(title))</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#1b1b1b;padding:0 1em}
        h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
        table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .6em;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.nowrap{white-space:nowrap}
        caption,figcaption{text-align:left;font-weight:600;padding:.3em 0}.wide{overflow-x:auto;max-width:100%}
        figure{margin:1em 0}svg{max-width:100%;height:auto}
        .alert{color:#b00020;font-weight:600}details{margin:.3em 0 1em}summary{cursor:pointer;color:#444}
        @media print{body{max-width:none;margin:0;font-size:10pt}.wide{overflow:visible}details>summary{display:none}details{display:block}h2{break-after:avoid}tr,svg,figure{break-inside:avoid}}
        .legend span{display:inline-block;margin-right:1.5em}.sw{display:inline-block;width:1.5em;height:.3em;vertical-align:middle;margin-right:.3em}
        .small{color:#555;font-size:.9em}svg text{font-size:11px;fill:#333}
        </style></head><body>

        """
    }
}

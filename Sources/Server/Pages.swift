import Foundation
import Verification

/// The parent-facing HTML, rendered on the server: readable without JavaScript, laid out for a
/// phone screen, no build step. The only script submits the form as soon as a photo is picked.
enum Pages {
    static let style = """
        *{box-sizing:border-box}body{font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#f6f5f2}
        main{max-width:36rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.1rem;margin:1.5rem 0 .4rem}
        .verdict{border-radius:14px;padding:1.2rem;margin:1rem 0;color:#fff}.verdict h1{font-size:2rem;line-height:1.15;margin:0 0 .5rem}
        .good{background:#1e7b3a}.warn{background:#a86400}.bad{background:#b3261e}.neutral{background:#44546a}
        .card{background:#fff;border-radius:12px;padding:1rem;margin:1rem 0;box-shadow:0 1px 3px #0002}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem .8rem;margin:0}dt{color:#555}dd{margin:0}
        ol.timeline{padding-left:1.2rem;margin:0}ol.timeline li{margin:.35rem 0}.when{color:#555;font-size:.9rem;display:block}
        button,.pick{display:block;width:100%;font:inherit;font-weight:600;padding:.9rem;border-radius:10px;border:0;text-align:center}
        button{background:#1b4f8a;color:#fff;margin-top:.6rem}.secondary{background:#e8e6e1;color:#1b1b1b}
        input[type=file]{width:100%;padding:.8rem 0}.notice{background:#fff4d6;border-left:5px solid #a86400;padding:.8rem 1rem;border-radius:8px}
        .small{color:#555;font-size:.9rem}
        """

    static func layout(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escapeHTML(title))</title><style>\(style)</style></head>
        <body><main>
        \(body)
        </main></body></html>
        """
    }

    static func uploadForm(heading: String) -> String {
        """
        <form id="check" class="card" action="/check" method="post" enctype="multipart/form-data">
        <h2>\(escapeHTML(heading))</h2>
        <label class="pick secondary" for="photo">Take or choose a photo of the code</label>
        <input id="photo" name="photo" type="file" accept="image/*" capture="environment" required>
        <button id="send" type="submit">Check this tin</button>
        <p id="status" class="small" role="status"></p>
        </form>
        <script>
        document.getElementById("photo").addEventListener("change", function (event) {
          if (event.target.files.length) {
            document.getElementById("status").textContent = "Checking your photo…";
            event.target.form.submit();
          }
        });
        </script>
        """
    }

    static func home(notice: String? = nil) -> String {
        layout(title: "Is my tin genuine?", body: """
            <h1>Is my tin genuine?</h1>
            <p>Photograph the square code on your formula tin. We check it against the maker's registry and show
            where and when your tin was made and how it travelled to you.</p>
            \(notice.map { "<p class=\"notice\" id=\"problem\">\(escapeHTML($0))</p>" } ?? "")
            \(uploadForm(heading: "Check a tin"))
            <p class="small">Photos are kept to answer your check and for the lab if you ask for an examination.</p>
            """)
    }

    /// The answer for one verification, with the examination the parent requested when there is one.
    static func verdict(_ record: VerificationRecord, requestedCase: MailInCase?) -> String {
        let headline = PageWords.headline(record.verdict)
        var body = """
            <section id="verdict" class="verdict \(headline.tone)" data-verdict="\(record.verdict.rawValue)">
            <h1>\(escapeHTML(headline.title))</h1>
            <p id="advice">\(escapeHTML(record.advice))</p>
            </section>
            """
        if record.verdict == .inconclusive {
            let words = PageWords.unread(record.diagnosis?.reason)
            body += """
                <section class="card" id="retake"><h2>Why</h2><p id="reason">\(escapeHTML(words.why))</p>
                <h2>How to retake it</h2><p id="tip">\(escapeHTML(words.tip))</p></section>
                """
        }
        if let requestedCase {
            body += """
                <section class="notice" id="case" data-case-id="\(requestedCase.id)">
                <strong>Examination requested: case \(requestedCase.id).</strong> Write the number \(requestedCase.id) on a note,
                put it in the parcel with the tin and send it to the brand's quality lab. We will tell you what the lab finds.
                </section>
                """
        } else if record.mailIn.offered {
            body += """
                <form class="card" id="examination" action="/scans/\(escapeHTML(record.scanId))/examination" method="post">
                <h2>Not sure?</h2><p>Our lab can examine the tin itself. Request an examination and mail the tin in.</p>
                <button id="request-examination" type="submit">Request examination</button>
                </form>
                """
        }
        if let recall = record.recall {
            body += "<section class=\"card\"><h2>Recall</h2><p>\(escapeHTML(recall.reason))</p></section>"
        }
        body += productCard(record.product, code: record.code)
        body += lotCard(record.lot)
        body += timelineCard(record.timeline)
        if let claims = record.claims, claims.distinctVerifiers > 0 {
            body += "<section class=\"card\"><h2>Checks of this code</h2><p>Checked by \(claims.distinctVerifiers) "
                + "\(claims.distinctVerifiers == 1 ? "person" : "people")\(claims.firstRegion.map { ", first in \(escapeHTML($0))" } ?? "").</p></section>"
        }
        body += uploadForm(heading: "Check another tin")
        body += "<p class=\"small\">Check id \(escapeHTML(record.scanId))</p>"
        return layout(title: headline.title, body: body)
    }

    /// The page a phone camera opens from a tin's code: what the registry holds, and how to check it.
    static func landing(_ record: LandingRecord) -> String {
        var body = "<h1>\(escapeHTML(record.product?.name ?? "Tin \(record.serial)"))</h1>"
        if let recall = record.recall {
            body += "<section id=\"verdict\" class=\"verdict bad\" data-verdict=\"RECALLED\"><h1>Recalled — stop using this tin</h1>"
                + "<p>\(escapeHTML(recall.reason))</p></section>"
        }
        if record.unit == nil {
            body += "<p class=\"notice\" id=\"registry\">We have no tin registered under this code. Photograph it below to check it.</p>"
        } else {
            body += "<p id=\"registry\">This code names a tin in the maker's registry. To be sure your tin is genuine, "
                + "photograph its code below: a copied code looks the same in a link.</p>"
        }
        body += uploadForm(heading: "Check this tin")
        body += productCard(record.product, gtin: record.gtin, lot: record.codeLot, serial: record.serial)
        if let lot = record.registeredLot {
            body += lotCard(lot: lot.lot, made: lot.productionDate.iso, expires: lot.expiry.iso,
                            factory: record.factory.map { [$0.name, $0.city].compactMap { $0 }.joined(separator: ", ") },
                            status: lot.status.rawValue, steps: lot.processSteps)
        }
        body += timelineCard(record.timeline)
        return layout(title: record.product?.name ?? "Tin \(record.serial)", body: body)
    }

    static func problem(_ problem: Problem) -> String {
        home(notice: "\(problem.title): \(problem.detail)")
    }

    /// Product rows from a verdict's record.
    static func productCard(_ product: VerificationRecord.ProductInfo?, code: VerificationRecord.CodeFields?) -> String {
        var rows: [(String, String?)] = []
        if let product {
            rows += productRows(name: product.name, brand: product.brand, stage: product.stage, netContent: product.netContent,
                                origin: product.origin, specifications: product.specifications)
        }
        if let code {
            rows += [("GTIN", code.gtin), ("Lot", code.lot), ("Serial", code.serial), ("Best before", code.expiry)]
        }
        return definitionCard(id: "product", title: "The product", rows: rows)
    }

    /// Product rows straight from the registry (the landing page judges nothing).
    static func productCard(_ product: Product?, gtin: String, lot: String, serial: String) -> String {
        var rows: [(String, String?)] = []
        if let product {
            rows += productRows(name: product.name, brand: nil, stage: product.stage, netContent: product.netContent,
                                origin: product.origin, specifications: product.specifications)
        }
        rows += [("GTIN", gtin), ("Lot", lot), ("Serial", serial)]
        return definitionCard(id: "product", title: "The product", rows: rows)
    }

    static func productRows(name: String, brand: String?, stage: String?, netContent: String?, origin: String?,
                            specifications: [String: String]) -> [(String, String?)] {
        [("Product", name), ("Brand", brand), ("Stage", stage), ("Contents", netContent), ("Origin", PageWords.country(origin))]
            + specifications.sorted { $0.key < $1.key }.map { ($0.key.capitalized, $0.value) }
    }

    static func lotCard(_ lot: VerificationRecord.LotInfo?) -> String {
        guard let lot else { return "" }
        return lotCard(lot: lot.lot, made: lot.productionDate, expires: lot.expiry, factory: lot.factory,
                       status: lot.status, steps: lot.processSteps)
    }

    static func lotCard(lot: String, made: String, expires: String, factory: String?, status: String, steps: [ProcessStep]) -> String {
        var card = definitionCard(id: "lot", title: "Where and when it was made",
                                  rows: [("Lot", lot), ("Made on", made), ("Factory", factory), ("Expires", expires),
                                         ("Lot status", status.replacingOccurrences(of: "_", with: " "))])
        if !steps.isEmpty {
            let items = steps.map { step in
                "<li>\(escapeHTML(step.name))\(step.detail.map { " — \(escapeHTML($0))" } ?? "")</li>"
            }.joined()
            card += "<section class=\"card\" id=\"process\"><h2>How it was made</h2><ol>\(items)</ol></section>"
        }
        return card
    }

    static func timelineCard(_ timeline: [TimelineEntry]) -> String {
        guard !timeline.isEmpty else { return "" }
        let items = timeline.map { entry in
            let when = String(entry.at.prefix(16)).replacingOccurrences(of: "T", with: " ")
            let place = [entry.place, entry.city].compactMap { $0 }.joined(separator: ", ")
            return "<li><span class=\"when\">\(escapeHTML(when))</span>\(escapeHTML(entry.step.replacingOccurrences(of: "_", with: " ")))"
                + "\(place.isEmpty ? "" : " — \(escapeHTML(place))")</li>"
        }.joined()
        return "<section class=\"card\" id=\"timeline\"><h2>Its journey to you</h2><ol class=\"timeline\">\(items)</ol></section>"
    }

    static func definitionCard(id: String, title: String, rows: [(String, String?)]) -> String {
        let shown = rows.compactMap { row in row.1.map { "<dt>\(escapeHTML(row.0))</dt><dd>\(escapeHTML($0))</dd>" } }
        guard !shown.isEmpty else { return "" }
        return "<section class=\"card\" id=\"\(id)\"><h2>\(escapeHTML(title))</h2><dl>\(shown.joined())</dl></section>"
    }
}

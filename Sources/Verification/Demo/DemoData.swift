import Foundation

/// The codes a seeded demo database holds, one per story the demo tells.
public struct DemoCodes: Sendable, Equatable {
    /// A genuine tin never verified before → `GENUINE`.
    public var genuine: String
    /// A genuine tin of the second brand, whose key is HMAC-SHA256-128 → `GENUINE`.
    public var genuineSmallSymbol: String
    /// Valid-looking code on the brand's host with a bad signature → `COUNTERFEIT`.
    public var forged: String
    /// A real code already verified by three consumers → `SUSPECT_COPY`.
    public var cloned: String
    /// A tin from the recalled lot → `RECALLED`.
    public var recalled: String
    /// A genuine tin past its expiry → `EXPIRED`.
    public var expired: String
    /// Someone else's GS1 code (GS1's example GTIN) → `UNKNOWN`.
    public var unknown: String
    /// The seller blacklisted through a concluded counterfeit case.
    public var blacklistedSellerID: String
    /// The case that concluded counterfeit and blacklisted that seller.
    public var blacklistCaseID: Int64
}

/// Seeds a demo registry: two brands, their products and lots, supply-chain timelines
/// (factory → distribution centre → e-commerce warehouse, imported as EPCIS 2.0 JSON-LD),
/// a recalled lot, an expired lot, a cloned code and a seller blacklisted via a concluded case.
public enum DemoData {
    public static let auroraHost = "t.aurora-dairy.example"
    public static let meadowHost = "q.meadow-nutrition.example"

    /// Seeds `store` (which should be empty); private keys go to `keys`. Dates are relative to `now`.
    public static func seed(store: any VerificationStore, keys: KeyDirectory, now: Date = Date()) throws -> DemoCodes {
        let today = CalendarDate(now)
        let issuer = Issuer(store: store, keys: keys, clock: { now })

        try store.addBrand(Brand(id: "aurora", name: "Aurora Dairy", hosts: [auroraHost]))
        try store.addBrand(Brand(id: "meadow", name: "Meadow Nutrition", hosts: [meadowHost]))
        let places = [
            Location(id: "urn:epc:id:sgln:6901234.00001.0", name: "Aurora Plant 1", role: "factory", city: "Hohhot",
                     province: "Inner Mongolia", country: "CN", latitude: 40.84, longitude: 111.75),
            Location(id: "urn:epc:id:sgln:6901234.00002.0", name: "Aurora distribution centre", role: "distribution_centre",
                     city: "Beijing", province: "Beijing", country: "CN", latitude: 39.90, longitude: 116.40),
            Location(id: "urn:epc:id:sgln:6901234.00003.0", name: "E-commerce warehouse Shanghai", role: "ecommerce_warehouse",
                     city: "Shanghai", province: "Shanghai", country: "CN", latitude: 31.23, longitude: 121.47),
            Location(id: "urn:epc:id:sgln:9421234.00001.0", name: "Meadow Waikato plant", role: "factory", city: "Hamilton",
                     province: "Waikato", country: "NZ", latitude: -37.79, longitude: 175.28),
            Location(id: "urn:epc:id:sgln:9421234.00002.0", name: "Meadow distribution centre", role: "distribution_centre",
                     city: "Guangzhou", province: "Guangdong", country: "CN", latitude: 23.13, longitude: 113.26),
            Location(id: "urn:epc:id:sgln:9421234.00003.0", name: "E-commerce warehouse Shenzhen", role: "ecommerce_warehouse",
                     city: "Shenzhen", province: "Guangdong", country: "CN", latitude: 22.54, longitude: 114.06),
        ]
        for place in places { try store.addLocation(place) }

        let aurora1 = GTIN.make(body13: "0690123456789") ?? ""
        let aurora2 = GTIN.make(body13: "0690123456790") ?? ""
        let meadow1 = GTIN.make(body13: "0942123400001") ?? ""
        let specifications = ["protein": "11.5 g/100 g", "standard": "GB 10765-2021", "licence": "SC10615010200017"]
        try store.addProduct(Product(gtin: aurora1, brandID: "aurora", name: "Aurora Stage 1 infant formula 800 g", stage: "1",
                                     netContent: "800 g", origin: "156", specifications: specifications))
        try store.addProduct(Product(gtin: aurora2, brandID: "aurora", name: "Aurora Stage 2 follow-on formula 800 g", stage: "2",
                                     netContent: "800 g", origin: "156", specifications: specifications))
        try store.addProduct(Product(gtin: meadow1, brandID: "meadow", name: "Meadow Stage 1 infant formula 900 g", stage: "1",
                                     netContent: "900 g", origin: "554", specifications: ["protein": "12.0 g/100 g"]))

        let process = [ProcessStep(name: "raw milk reception", detail: "own pasture, tested per batch"),
                       ProcessStep(name: "wet blending and spray drying"), ProcessStep(name: "canning under nitrogen"),
                       ProcessStep(name: "release testing", detail: "passed")]
        let lots = [
            Lot(gtin: aurora1, lot: "A\(today.adding(days: -250).yymmdd)", productionDate: today.adding(days: -250),
                expiry: today.adding(days: 480), factoryLocationID: places[0].id, processSteps: process),
            Lot(gtin: aurora1, lot: "A\(today.adding(days: -200).yymmdd)", productionDate: today.adding(days: -200),
                expiry: today.adding(days: 530), factoryLocationID: places[0].id, processSteps: process),
            Lot(gtin: aurora2, lot: "B\(today.adding(days: -800).yymmdd)", productionDate: today.adding(days: -800),
                expiry: today.adding(days: -70), factoryLocationID: places[0].id, processSteps: process),
            Lot(gtin: meadow1, lot: "M\(today.adding(days: -150).yymmdd)", productionDate: today.adding(days: -150),
                expiry: today.adding(days: 580), factoryLocationID: places[3].id, processSteps: process),
        ]
        for lot in lots { try store.addLot(lot) }

        let auroraKey = try issuer.createKey(brandID: "aurora", algorithm: .ed25519)
        let meadowKey = try issuer.createKey(brandID: "meadow", algorithm: .hmacSHA256_128)
        let main = try issuer.mint(gtin: aurora1, lot: lots[0].lot, count: 6, keyID: auroraKey.keyID, host: auroraHost)
        let recalled = try issuer.mint(gtin: aurora1, lot: lots[1].lot, count: 2, keyID: auroraKey.keyID, host: auroraHost)
        let expired = try issuer.mint(gtin: aurora2, lot: lots[2].lot, count: 2, keyID: auroraKey.keyID, host: auroraHost)
        let meadow = try issuer.mint(gtin: meadow1, lot: lots[3].lot, count: 3, keyID: meadowKey.keyID, host: meadowHost)

        for (index, batch) in [main, recalled, expired, meadow].enumerated() {
            let chain = index == 3 ? Array(places[3...5]) : Array(places[0...2])
            let document = timelineDocument(codes: batch, chain: chain, producedAt: lots[index].productionDate, caseNumber: index + 1)
            try EPCISImporter.importDocument(document, into: store)
        }
        _ = try store.addRecall(Recall(gtin: aurora1, lot: lots[1].lot, reason: "possible Cronobacter contamination",
                                       announcedAt: now.addingTimeInterval(-3 * 86_400)))

        // A clone: three different consumers in three cities verify the same genuine code.
        let cloned = main[1].uri
        for (offset, consumer) in [(-20, "demo-consumer-1"), (-10, "demo-consumer-2"), (-5, "demo-consumer-3")] {
            let verifier = Verifier(store: store, clock: { now.addingTimeInterval(Double(offset) * 86_400) })
            _ = try verifier.verify(.consumer(consumer, code: cloned))
        }

        // A forged code: real key id, fabricated serial, signature made with a key we never issued.
        let rogue = SigningSecret.generate(keyID: auroraKey.keyID, algorithm: .ed25519)
        var serials = SerialGenerator()
        let forgedSerial = serials.next()
        let forged = DigitalLinkBuilder.uri(
            host: auroraHost, gtin: aurora1, lot: lots[0].lot, serial: forgedSerial, expiry: lots[0].expiry,
            authenticator: try rogue.authenticator(gtin: aurora1, lot: lots[0].lot, serial: forgedSerial, expiry: lots[0].expiry))

        // A blacklisted seller: a consumer reports a forged tin bought there; the lab confirms it.
        try store.addSeller(Seller(id: "shop-honest", platform: "marketplace", name: "Honest Baby Store"))
        try store.addSeller(Seller(id: "shop-fakes", platform: "marketplace", name: "Cheap Formula Outlet"))
        var report = VerificationRequest.consumer("demo-consumer-9", code: forged)
        report.sellerID = "shop-fakes"
        let reportScan = try Verifier(store: store, clock: { now.addingTimeInterval(-30 * 86_400) }).verify(report)
        let reported = try store.openCase(NewCase(reasons: ["consumer_request"], scanID: reportScan.scanId, sellerID: "shop-fakes",
                                                  actor: "demo-consumer-9", at: now.addingTimeInterval(-30 * 86_400)))
        for (step, status) in [CaseStatus.received, .examining, .concludedCounterfeit].enumerated() {
            _ = try store.advanceCase(id: reported.id, to: status, actor: "lab", note: status == .concludedCounterfeit
                                        ? "print and tin seam differ from genuine; code forged" : nil,
                                      blacklistSeller: status == .concludedCounterfeit,
                                      at: now.addingTimeInterval(Double(-25 + 2 * step) * 86_400))
        }

        return DemoCodes(genuine: main[0].uri, genuineSmallSymbol: meadow[0].uri, forged: forged, cloned: cloned,
                         recalled: recalled[0].uri, expired: expired[0].uri,
                         unknown: "https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ789?17=281231",
                         blacklistedSellerID: "shop-fakes", blacklistCaseID: reported.id)
    }

    /// An EPCIS 2.0 JSON-LD document: commissioning, packing into a case, shipping to the DC,
    /// receiving, shipping to the e-commerce warehouse, receiving and unpacking there.
    static func timelineDocument(codes: [IssuedCode], chain: [Location], producedAt: CalendarDate, caseNumber: Int) -> Data {
        guard let first = codes.first, chain.count == 3 else { return Data("{}".utf8) }
        let units = codes.map(\.uri)
        let container = "urn:epc:id:sscc:6901234.\(String(caseNumber).leftPadded(to: 10))"
        let start = producedAt.iso
        func time(_ day: Int, _ hour: Int) -> String {
            "\(producedAt.adding(days: day).iso)T\(String(hour).leftPadded(to: 2)):00:00+08:00"
        }
        let events: [[String: Any]] = [
            ["type": "ObjectEvent", "eventTime": "\(start)T08:00:00+08:00", "eventTimeZoneOffset": "+08:00", "action": "ADD",
             "epcList": units, "bizStep": "commissioning", "disposition": "active", "readPoint": ["id": chain[0].id],
             "bizLocation": ["id": chain[0].id],
             "ilmd": ["cbvmda:lotNumber": first.lot, "cbvmda:itemExpirationDate": first.expiry.iso, "cbvmda:productionDate": start]],
            ["type": "AggregationEvent", "eventTime": time(0, 14), "eventTimeZoneOffset": "+08:00", "action": "ADD",
             "parentID": container, "childEPCs": units, "bizStep": "packing", "disposition": "in_progress",
             "bizLocation": ["id": chain[0].id]],
            ["type": "ObjectEvent", "eventTime": time(2, 9), "eventTimeZoneOffset": "+08:00", "action": "OBSERVE",
             "epcList": [container], "bizStep": "shipping", "disposition": "in_transit", "readPoint": ["id": chain[0].id],
             "sourceList": [["type": "location", "source": chain[0].id]],
             "destinationList": [["type": "location", "destination": chain[1].id]]],
            ["type": "ObjectEvent", "eventTime": time(4, 16), "eventTimeZoneOffset": "+08:00", "action": "OBSERVE",
             "epcList": [container], "bizStep": "receiving", "disposition": "in_progress", "bizLocation": ["id": chain[1].id]],
            ["type": "ObjectEvent", "eventTime": time(9, 10), "eventTimeZoneOffset": "+08:00", "action": "OBSERVE",
             "epcList": [container], "bizStep": "shipping", "disposition": "in_transit", "readPoint": ["id": chain[1].id],
             "destinationList": [["type": "location", "destination": chain[2].id]]],
            ["type": "ObjectEvent", "eventTime": time(11, 15), "eventTimeZoneOffset": "+08:00", "action": "OBSERVE",
             "epcList": [container], "bizStep": "receiving", "disposition": "sellable_not_accessible", "bizLocation": ["id": chain[2].id]],
            ["type": "AggregationEvent", "eventTime": time(12, 9), "eventTimeZoneOffset": "+08:00", "action": "DELETE",
             "parentID": container, "childEPCs": units, "bizStep": "unpacking", "disposition": "sellable_accessible",
             "bizLocation": ["id": chain[2].id]],
        ]
        let document: [String: Any] = [
            "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
            "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "\(start)T08:00:00+08:00",
            "epcisBody": ["eventList": events],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}

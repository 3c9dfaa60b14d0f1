import Foundation

/// What was read, as the engine sees it.
public enum Reading: Sendable {
    /// A photo in which no code could be read.
    case unreadable(ReadDiagnosis?)
    /// A photo showing several different product codes.
    case multipleCodes([String])
    /// One code and what the parser made of it.
    case code(ReadCode, Result<GS1Code, CodeParseError>)
}

/// The request context the rules need besides the registry.
public struct JudgementContext: Sendable {
    public var now: Date
    /// The verifier's local calendar day (expiry is a local date).
    public var today: CalendarDate
    public var channel: Channel
    public var verifierHash: String?
    public var coordinates: Coordinates?
    public var ruleVersion: String
}

/// Decides a verdict from a reading and a registry snapshot. Pure: the same inputs give the same
/// judgement, and nothing here touches the database.
///
/// The primary verdict is the first rule that matches, in this order (later rules still add flags):
///
/// 1. photo unreadable → `INCONCLUSIVE` (`photo_unreadable`, decoder diagnosis, retake tip, mail-in case opened)
/// 2. several different product codes in one photo → `INCONCLUSIVE` (`multiple_codes`)
/// 3. not a GS1 product code (any host), or malformed GS1 not on one of our hosts → `UNKNOWN` (`not_gs1` / `foreign_code`)
/// 4. malformed GS1 code (bad check digit, date, qualifier order…) on one of our hosts → `COUNTERFEIT` (`malformed_code`)
/// 5. GTIN not registered → `UNKNOWN` (`product_not_registered`), or `COUNTERFEIT` on our host
/// 6. authenticator missing (when required), malformed, unknown key, key of another brand, revoked
///    key, or tag not matching → `COUNTERFEIT`
/// 7. serial not registered → `COUNTERFEIT` (`unknown_serial`); signed with a key other than the unit's → `key_not_issuing_key`
/// 8. lot or expiry differing from the registry → `COUNTERFEIT` (`lot_mismatch` / `expiry_mismatch`)
/// 9. unit compromised (clone confirmed by the lab) → `COUNTERFEIT` (`known_cloned_code`)
/// 10. unit decommissioned or destroyed → `COUNTERFEIT` (`unit_not_in_circulation`)
/// 11. lot recalled or covered by a recall → `RECALLED`
/// 12. distinct consumer verifiers ≥ `suspectAt`, or impossible travel → `SUSPECT_COPY` (mail-in case opened)
/// 13. distinct consumer verifiers ≥ `cautionAt` → `GENUINE_ALREADY_VERIFIED`
/// 14. expiry before today → `EXPIRED`
/// 15. verified before by the same consumer only → `GENUINE_REPEAT`
/// 16. otherwise → `GENUINE`
///
/// Distinct verifiers count consumer checks only, the current one included when it counts;
/// command-line, lab and partner checks count toward nothing.
public enum VerdictEngine {
    public static let ruleVersion = "2026.1"

    public static func judge(_ reading: Reading, snapshot: RegistrySnapshot, key: VerificationKey?,
                             context: JudgementContext) -> Judgement {
        var draft = RecordDraft(scanID: snapshot.scanID, context: context)
        switch reading {
        case .unreadable(let diagnosis):
            let diagnosis = diagnosis ?? ReadDiagnosis(reason: "no_code_found")
            draft.record.diagnosis = diagnosis
            return draft.finish(.inconclusive, [.photoUnreadable], advice: Advice.retake(diagnosis), mailIn: true,
                                openCase: [ReasonCode.photoUnreadable.rawValue, diagnosis.reason])
        case .multipleCodes:
            return draft.finish(.inconclusive, [.multipleCodes],
                                advice: "The photo shows several different codes. Photograph one tin's code at a time.", mailIn: false)
        case .code(_, .failure(.notGS1)):
            // Not a product code at all, even on our host (a brand's web page QR is not a forgery).
            return draft.finish(.unknown, [.notGS1], advice: Advice.unknown, mailIn: false)
        case .code(_, .failure(.malformed(let host, _))):
            if let host, snapshot.ourHosts.contains(host) {
                return draft.finish(.counterfeit, [.malformedCode], advice: Advice.counterfeit, mailIn: true)
            }
            return draft.finish(.unknown, [.foreignCode], advice: Advice.unknown, mailIn: false)
        case .code(_, .success(let code)):
            return judge(code, snapshot: snapshot, key: key, draft: draft)
        }
    }

    static func judge(_ code: GS1Code, snapshot: RegistrySnapshot, key: VerificationKey?, draft start: RecordDraft) -> Judgement {
        var draft = start
        let context = draft.context
        draft.record.code = .init(gtin: code.gtin, lot: code.lot, serial: code.serial, expiry: code.expiry?.date.iso)
        let onOurHost = code.host.map(snapshot.ourHosts.contains) ?? false
        guard let product = snapshot.product else {
            return onOurHost
                ? draft.finish(.counterfeit, [.productNotRegistered], advice: Advice.counterfeit, mailIn: true)
                : draft.finish(.unknown, [.productNotRegistered], advice: Advice.unknown, mailIn: false)
        }
        draft.record.product = .init(gtin: product.gtin, name: product.name, brand: snapshot.brand?.name, stage: product.stage,
                                     netContent: product.netContent, origin: product.origin, specifications: product.specifications)
        draft.record.thresholds = product.policy
        if let host = code.host, !onOurHost, host != "id.gs1.org" { draft.flags.append(.unexpectedHost) }

        // Authenticator: required by the product, and checked whenever present.
        var signedWith: String?
        if code.authenticator != nil || product.authenticatorRequired {
            guard let text = code.authenticator else {
                return draft.finish(.counterfeit, [.authenticatorMissing], advice: Advice.counterfeit, mailIn: true)
            }
            guard let (keyID, tag) = Authenticator.split(text) else {
                return draft.finish(.counterfeit, [.authenticatorMalformed], advice: Advice.counterfeit, mailIn: true)
            }
            guard let record = snapshot.key, record.keyID == keyID else {
                return draft.finish(.counterfeit, [.unknownKey], advice: Advice.counterfeit, mailIn: true)
            }
            guard record.brandID == product.brandID else {
                return draft.finish(.counterfeit, [.keyOfOtherBrand], advice: Advice.counterfeit, mailIn: true)
            }
            guard record.status != .revoked else {
                return draft.finish(.counterfeit, [.keyRevoked], advice: Advice.counterfeit, mailIn: true)
            }
            // The verifier loads material for every live key (or fails with an error), so `key` is present here.
            guard let key, key.keyID == keyID, key.isValid(tag: tag, for: Authenticator.message(for: code, keyID: keyID)) else {
                return draft.finish(.counterfeit, [.authenticatorInvalid], advice: Advice.counterfeit, mailIn: true)
            }
            draft.reasons.append(.authenticatorValid)
            signedWith = keyID
        } else {
            draft.reasons.append(.registryOnlyProduct)
        }

        guard let unit = snapshot.unit, let serial = code.serial, unit.serial == serial else {
            return draft.finish(.counterfeit, [.unknownSerial], advice: Advice.counterfeit, mailIn: true)
        }
        if let signedWith, let issuingKey = unit.keyID, issuingKey != signedWith {
            return draft.finish(.counterfeit, [.keyNotIssuingKey], advice: Advice.counterfeit, mailIn: true)
        }
        guard let lot = snapshot.lot else {
            return draft.finish(.counterfeit, [.lotNotRegistered], advice: Advice.counterfeit, mailIn: true)
        }
        if let printedLot = code.lot, printedLot != lot.lot {
            return draft.finish(.counterfeit, [.lotMismatch], advice: Advice.counterfeit, mailIn: true)
        }
        // Compare the printed digits: a DD=00 expiry on a code we issued with a real day is altered.
        if let printed = code.expiry, printed.yymmdd != lot.expiry.yymmdd {
            return draft.finish(.counterfeit, [.expiryMismatch], advice: Advice.counterfeit, mailIn: true)
        }
        draft.reasons.append(.registryMatch)
        draft.record.lot = .init(lot: lot.lot, productionDate: lot.productionDate.iso, expiry: lot.expiry.iso,
                                 factory: snapshot.factory?.name ?? lot.factoryLocationID, processSteps: lot.processSteps,
                                 status: lot.status.rawValue)
        draft.record.timeline = snapshot.timeline
        if unit.status == .compromised {
            return draft.finish(.counterfeit, [.knownClonedCode], advice: Advice.cloned, mailIn: true)
        }
        guard unit.status.isInCirculation else {
            return draft.finish(.counterfeit, [.unitNotInCirculation], advice: Advice.counterfeit, mailIn: true)
        }

        // From here the tin's data is genuine; what remains is whether it is safe and whether it is the original.
        let daysLeft = context.today.days(until: lot.expiry)
        let isExpired = daysLeft < 0
        if isExpired { draft.flags.append(.expired) } else if daysLeft < product.policy.expiringSoonDays { draft.flags.append(.expiringSoon) }
        var offerMailIn = false
        if snapshot.seller?.status == .blacklisted {
            draft.flags.append(.sellerBlacklisted)
            offerMailIn = true
        }

        let me = context.channel == .consumer ? context.verifierHash : nil
        draft.counted = me != nil
        let prior = snapshot.priorVerifications
        var verifiers = Set(prior.map(\.verifierHash))
        let seenMeBefore = me.map(verifiers.contains) ?? false
        if let me { verifiers.insert(me) }
        let n = verifiers.count
        let firstClaimant = me != nil && (prior.first?.verifierHash ?? me) == me
        let travel = impossibleTravel(prior: prior, me: me, at: context.now, from: context.coordinates,
                                      limit: product.policy.maxTravelKilometresPerHour)
        draft.record.claims = .init(firstVerifiedAt: prior.first?.at ?? (me != nil ? context.now : nil),
                                    firstRegion: prior.first?.region, distinctVerifiers: n)

        if let recall = recallCovering(lot, snapshot.recalls) {
            draft.record.recall = recall
            return draft.finish(.recalled, [.lotRecalled], advice: Advice.recalled(lot: lot.lot, reason: recall.reason), mailIn: offerMailIn)
        }
        if n >= product.policy.suspectAt || travel {
            if firstClaimant { draft.flags.append(.firstClaimant) }
            var reasons: [ReasonCode] = []
            if n >= product.policy.suspectAt { reasons.append(.tooManyVerifiers) }
            if travel { reasons.append(.impossibleTravel) }
            return draft.finish(.suspectCopy, reasons, advice: Advice.suspect(firstClaimant: firstClaimant), mailIn: true,
                                openCase: reasons.map(\.rawValue))
        }
        if n >= product.policy.cautionAt {
            if firstClaimant { draft.flags.append(.firstClaimant) }
            return draft.finish(.genuineAlreadyVerified, [.verifiedByOthers], advice: Advice.alreadyVerified, mailIn: true)
        }
        if isExpired {
            return draft.finish(.expired, [.pastExpiry], advice: "Genuine, but past its expiry date (\(lot.expiry.iso)). Do not use it.",
                                mailIn: offerMailIn)
        }
        if seenMeBefore {
            return draft.finish(.genuineRepeat, [.verifiedBeforeByYou], advice: "Genuine. You verified this tin before.", mailIn: offerMailIn)
        }
        return draft.finish(.genuine, me != nil ? [.firstVerification] : [],
                            advice: offerMailIn ? Advice.genuineFromBlacklistedSeller : "Genuine.", mailIn: offerMailIn)
    }

    static func recallCovering(_ lot: Lot, _ recalls: [Recall]) -> VerificationRecord.RecallInfo? {
        if let recall = recalls.first(where: { $0.covers(lot) }) {
            return .init(reason: recall.reason, announcedAt: recall.announcedAt)
        }
        if lot.status == .recalled {
            return .init(reason: "lot \(lot.lot) is recalled", announcedAt: .distantPast)
        }
        return nil
    }

    /// Whether another consumer verified the unit so far away, so recently, that no tin could have travelled between.
    static func impossibleTravel(prior: [PriorVerification], me: String?, at now: Date, from here: Coordinates?, limit: Double) -> Bool {
        guard let me, let here else { return false }
        for earlier in prior where earlier.verifierHash != me {
            guard let there = earlier.coordinates else { continue }
            let kilometres = here.kilometres(to: there)
            let hours = abs(now.timeIntervalSince(earlier.at)) / 3600
            // Below city scale distances say nothing (coarse positions).
            if kilometres > 50, kilometres > limit * hours { return true }
        }
        return false
    }
}

/// Accumulates a record while the rules run.
struct RecordDraft {
    var record: VerificationRecord
    var reasons: [ReasonCode] = []
    var flags: [Flag] = []
    var counted = false
    let context: JudgementContext

    init(scanID: String, context: JudgementContext) {
        self.context = context
        record = VerificationRecord(scanId: scanID, verdict: .unknown, reasons: [], flags: [], code: nil, product: nil, lot: nil,
                                    timeline: [], claims: nil, recall: nil, mailIn: .init(offered: false, caseId: nil), advice: "",
                                    diagnosis: nil, ruleVersion: context.ruleVersion, thresholds: nil, decidedAt: context.now,
                                    counted: false, replayed: false)
    }

    /// Completes the record: the deciding reasons come first, then the checks that passed before them.
    func finish(_ verdict: Verdict, _ deciding: [ReasonCode], advice: String, mailIn: Bool, openCase: [String]? = nil) -> Judgement {
        var record = self.record
        record.verdict = verdict
        record.reasons = deciding + reasons
        var flags = self.flags
        if !counted, context.channel != .consumer { flags.append(.notCounted) }
        record.flags = flags
        record.advice = advice
        record.mailIn.offered = mailIn
        record.counted = counted
        return Judgement(record: record, counted: counted, caseToOpen: openCase)
    }
}

/// What to tell the parent.
enum Advice {
    static let counterfeit = "This code was not issued for a genuine tin. Do not feed from it; keep the tin and request a mail-in examination."
    static let cloned = "This code belongs to a tin the lab found to be copied. Do not use this tin; request a mail-in examination."
    static let unknown = "This is not a code we issued, so we cannot verify it. Look for the brand's verification code on the tin."
    static let alreadyVerified = "Genuine code, but someone else verified it first. If that was not you, request a mail-in examination."
    static let genuineFromBlacklistedSeller = "Genuine code, but the seller is blacklisted for selling counterfeits. You can request a mail-in examination."

    static func suspect(firstClaimant: Bool) -> String {
        firstClaimant
            ? "This code has been verified by too many people or in places too far apart. You checked it first, so yours may be the original; a mail-in case is open."
            : "This code has been verified by too many people or in places too far apart: the tin is probably a copy. Do not use it; a mail-in case is open."
    }

    static func recalled(lot: String, reason: String) -> String {
        "Stop using this tin: lot \(lot) is recalled (\(reason)). Return it to the seller or contact the brand."
    }

    /// A retake tip matching the decoder's diagnosis, plus the mail-in route.
    static func retake(_ diagnosis: ReadDiagnosis) -> String {
        let tip: String
        // One tip per reason the QR reader reports (DiagnosisReason in the QRCode module).
        switch diagnosis.reason {
        case "too_blurry": tip = "Hold the phone steady 15–25 cm from the code and tap to focus."
        case "too_dark": tip = "Move to better light."
        case "low_contrast": tip = "Light the code evenly, without shade, so its dark squares stand out."
        case "glare_over_code": tip = "Tilt the tin to avoid reflections on the code."
        case "code_too_small": tip = "Move closer: the code should fill most of the frame."
        case "partial_code": tip = "Get the whole code in the picture, with a little margin around it."
        case "no_code_found": tip = "Point the camera at the square code on the tin's bottom or label and fill the frame with it."
        case "damaged_beyond_correction": tip = "Flatten the label and photograph the code straight on; if it is scratched or torn, mail the tin in."
        case "unsupported_symbol": tip = "This is not the tin's QR code: photograph the square code with three corner squares."
        default: tip = "Take the photo again, straight on, in good light."
        }
        return "We could not read the code. \(tip) If it still fails, mail the tin in: a case is open for you."
    }
}

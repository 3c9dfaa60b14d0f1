import Verification

/// The plain words the page uses for verdicts and unread photos.
enum PageWords {
    /// Headline, one-line explanation and colour class for a verdict.
    static func headline(_ verdict: Verdict) -> (title: String, tone: String) {
        switch verdict {
        case .genuine: return ("Genuine", "good")
        case .genuineRepeat: return ("Genuine — you checked this tin before", "good")
        case .genuineAlreadyVerified: return ("Genuine code, already checked by someone else", "warn")
        case .expired: return ("Genuine, but expired — do not use", "bad")
        case .suspectCopy: return ("Suspected copy — do not use", "bad")
        case .recalled: return ("Recalled — stop using this tin", "bad")
        case .counterfeit: return ("Counterfeit — do not use", "bad")
        case .unknown: return ("Not a code we issued", "neutral")
        case .inconclusive: return ("We could not read the photo", "neutral")
        }
    }

    /// Why a photo could not be read, and how to take a better one, for each decoder diagnosis.
    static func unread(_ reason: String?) -> (why: String, tip: String) {
        reason.flatMap { unreadWords[$0] }
            ?? ("We found no code in the photo.", "Photograph the square QR code on the tin's label or base, straight on, in good light.")
    }

    static let unreadWords: [String: (why: String, tip: String)] = [
        "too_blurry": ("The photo is too blurred to read the code.",
                       "Hold the phone steady 15–25 cm from the code and tap the screen on the code to focus."),
        "too_dark": ("The photo is too dark.", "Move to better light, and keep your own shadow off the tin."),
        "low_contrast": ("The code is too faint against its background.", "Light the code evenly, from the front, and avoid dim corners."),
        "glare_over_code": ("A reflection covers part of the code.", "Tilt the tin a little so the light does not shine back from the code."),
        "code_too_small": ("The code is too small in the photo.", "Move closer, so the code fills about a third of the picture."),
        "partial_code": ("Only part of the code is in the photo.", "Keep the whole code, with a small margin around it, in the picture."),
        "damaged_beyond_correction": ("The code is too damaged to read.",
                                      "Try once more from another angle; if the print is scratched, request an examination."),
        "unsupported_symbol": ("This kind of code is not one we print on our tins.", "Photograph the square QR code on the tin's label or base."),
        "photo_unreadable": ("The file could not be opened as a photo.", "Take a new photo with the phone's camera and send that."),
    ]

    /// ISO 3166-1 numeric origins the registry uses, by name; others are shown as their number.
    static func country(_ code: String?) -> String? {
        guard let code else { return nil }
        let names = ["156": "China", "554": "New Zealand", "036": "Australia", "276": "Germany", "528": "Netherlands",
                     "250": "France", "372": "Ireland", "840": "United States", "124": "Canada", "756": "Switzerland"]
        return names[code] ?? "country \(code)"
    }
}

/// Text made safe to place in HTML element content and attribute values.
func escapeHTML(_ text: String) -> String {
    text.reduce(into: "") { out, character in out += htmlEntities[character] ?? String(character) }
}

private let htmlEntities: [Character: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]

import DangolCrypto
import DangolKit
import DangolText
import Foundation
import HTTPTypes
import Hummingbird

/// Failures of the page's own making (the vault's are VaultError).
enum APIError: Error {
    /// Nobody is signed in (never was, locked, or idle-locked).
    case locked
    /// Form fields that are wrong, each with its message for the reader.
    case fields([String: String])
    case refused(HTTPResponse.Status, String)

    /// Every error as JSON: a status, a line in the reader's language, and
    /// per-field messages for a form. Nothing is half-saved on any of these:
    /// each change is one transaction that either commits or does not.
    static func response(_ error: Error, language: Language) -> Response {
        func say(_ key: String, _ args: [String: String] = [:]) -> String { Catalogue.text(key, args, language: language) }
        switch error {
        case APIError.locked:
            return Reply.json(["error": say("web.error.locked"), "locked": true], status: .unauthorized)
        case APIError.fields(let fields):
            return Reply.json(["error": say("web.error.form"), "fields": fields], status: .unprocessableContent)
        case APIError.refused(let status, let key):
            return Reply.json(["error": say(key)], status: status)
        case let f as ValidationFailure:
            let (field, message) = FormErrors.describe(f, language: language)
            return Reply.json(["error": say("web.error.form"), "fields": [field: message]], status: .unprocessableContent)
        case let e as VaultError:
            let (status, key): (HTTPResponse.Status, String)
            switch e {
            case .wrongPassphrase: (status, key) = (.unauthorized, "web.error.wrong_passphrase")
            case .notAllowed: (status, key) = (.forbidden, "web.error.not_allowed")
            case .notFound: (status, key) = (.notFound, "web.error.not_found")
            case .conflict: (status, key) = (.conflict, "web.error.conflict")
            case .remote: (status, key) = (.badGateway, "web.error.remote")
            case .usage, .invalidInput, .ambiguous, .noPassphrase, .weakPassphrase:
                (status, key) = (.unprocessableContent, "web.error.refused")
            case .integrity, .notAVault, .io: (status, key) = (.internalServerError, "web.error.failed")
            }
            // The vault's own sentence names what went wrong (a file, a
            // remote); it carries no customer data.
            return Reply.json(["error": say(key), "detail": e.message.text(language)], status: status)
        default:
            return Reply.json(["error": say("web.error.failed"), "detail": "\(error)"], status: .internalServerError)
        }
    }
}

/// The API: one handler per name, each run on the desk's queue.
enum API {
    typealias Handler = (inout Call) throws -> Response

    /// Calls that do not count as someone working (the page's idle poll).
    static let quiet: Set<String> = ["state"]

    static let handlers: [String: Handler] = {
        var all: [String: Handler] = [
            "state": state, "signin": signin, "lock": lock,
        ]
        all.merge(Customers.handlers) { a, _ in a }
        all.merge(Office.handlers) { a, _ in a }
        return all
    }()

    /// Who is working, or who could sign in. `guarded` is how many guarded
    /// buffers (keys, subkeys, decrypted customers) the process holds: the
    /// same figure before a sign-in and after a lock shows nothing of the
    /// key or the index was left behind.
    static func state(_ call: inout Call) throws -> Response {
        var out: [String: Any] = ["guarded": SecureBytes.live, "idle": Int(call.desk.idle)]
        if let open = call.session.open {
            let v = open.vault
            out["person"] = v.person.name
            out["owner"] = v.isOwner
            out["seesContacts"] = v.seesContacts
            out["customers"] = open.index.count
            out["salon"] = v.metadata.settings.salonName ?? ""
        } else {
            out["people"] = try LockedVault.open(at: call.desk.vaultPath).people
        }
        return Reply.json(out)
    }

    /// Signs a person in: with the unlock agent's key when `dangol unlock`
    /// opened the vault as them, else with their passphrase, which unlocks
    /// their own key slot (so the access log names them and their role
    /// applies). Without a passphrase and no agent for them, the page is
    /// told to ask for one.
    static func signin(_ call: inout Call) throws -> Response {
        if call.session.open != nil { call.desk.lock() }
        guard let person = call.form["person"] else { throw APIError.fields(["person": call.text("web.signin.pick")]) }
        let locked = try LockedVault.open(at: call.desk.vaultPath)
        guard locked.people.contains(person) else { throw APIError.fields(["person": call.text("web.signin.pick")]) }
        var vault = locked.unlockFromAgent(user: person)
        if vault == nil {
            guard let passphrase = try call.form.secret("passphrase") else {
                return Reply.json(["needPassphrase": true])
            }
            vault = try locked.unlock(passphrase: passphrase, user: person)
        }
        guard let vault else { throw APIError.locked }
        vault.mirrorUpdate = .deferred
        call.session.open = try OpenIndex(vault)
        call.session.lastActive = Date()
        return try state(&call)
    }

    static func lock(_ call: inout Call) throws -> Response {
        call.desk.lock()
        return Reply.json(["locked": true])
    }
}

import DangolKit
import DangolText
import Foundation
import HTTPTypes
import Hummingbird

/// One API request as a handler sees it: the form, the reader's language,
/// and the session it came in.
struct Call {
    var form: Form
    let language: Language
    let session: Desk.Session
    let desk: Desk

    /// The signed-in person's vault and index, or the "locked" refusal.
    func open() throws -> OpenIndex {
        guard let o = session.open else { throw APIError.locked }
        return o
    }

    func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
        Catalogue.text(key, arguments, language: language)
    }
}

/// The routes. Everything but the trade of the one-time link needs the
/// session cookie; every POST also needs the session's CSRF token.
enum Routes {
    static let cookie = "dangol_session"
    /// Forms are small; a customer's longest field is a 4,000-character note.
    static let maxBody = 64 * 1024

    static func router(_ desk: Desk) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(Guard(desk: desk))
        router.get("/") { request, _ in try await page(request, desk) }
        router.get("/assets/:name") { request, context in
            _ = try await session(request, desk)
            guard let asset = Assets.named(context.parameters.get("name") ?? "") else {
                throw Refusal(status: .notFound, key: "web.refused.not_found")
            }
            return Reply.bytes(asset.bytes, type: asset.type)
        }
        router.post("/api/:name") { request, context in
            try await api(request, name: context.parameters.get("name") ?? "", desk)
        }
        router.post("/download/:name") { request, context in
            try await api(request, name: "download-" + (context.parameters.get("name") ?? ""), desk)
        }
        return router
    }

    /// `/?t=TOKEN` trades the link for the session cookie and sends the
    /// browser on to `/` (so the token leaves the address bar); `/` with the
    /// cookie is the page.
    static func page(_ request: Request, _ desk: Desk) async throws -> Response {
        let language = Language.from(acceptLanguage: request.headers[.acceptLanguage])
        if let token = request.uri.queryParameters.get("t") {
            guard let s = try await desk.perform({ $0.trade(token) }) else {
                throw Refusal(status: .unauthorized, key: "web.refused.link_used")
            }
            LaunchFile.remove()
            var response = Response(status: .seeOther, headers: [.location: "/"])
            response.setCookie(Cookie(name: cookie, value: s.id, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        let s = try await session(request, desk)
        return Reply.text(Assets.page(language: language, csrf: s.csrf), type: "text/html; charset=utf-8")
    }

    static func session(_ request: Request, _ desk: Desk) async throws -> Desk.Session {
        let id = request.cookies[cookie]?.value
        guard let s = try await desk.perform({ $0.session(cookie: id) }) else {
            throw Refusal(status: .unauthorized, key: "web.refused.no_session")
        }
        return s
    }

    static func api(_ request: Request, name: String, _ desk: Desk) async throws -> Response {
        let language = Language.from(acceptLanguage: request.headers[.acceptLanguage])
        let s = try await session(request, desk)
        var body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxBody) } catch {
            throw Refusal(status: .contentTooLarge, key: "web.refused.too_large")
        }
        var form = Form(wiping: &body)
        // The page's script sends the token in a header; a form posted from
        // another site can set no header.
        guard Token.equal(request.headers[HTTPField.Name("X-Dangol-CSRF")!], s.csrf) else {
            form.wipeAll()
            throw Refusal(status: .forbidden, key: "web.refused.csrf")
        }
        guard let handler = API.handlers[name] else {
            form.wipeAll()
            throw Refusal(status: .notFound, key: "web.refused.not_found")
        }
        let call = Call(form: form, language: language, session: s, desk: desk)
        return try await desk.perform { desk in
            var call = call
            defer { call.form.wipeAll() }
            if !API.quiet.contains(name) { s.lastActive = Date() }
            do {
                return try handler(&call)
            } catch {
                return APIError.response(error, language: language)
            }
        }
    }
}

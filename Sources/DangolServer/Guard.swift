import DangolText
import Foundation
import HTTPTypes
import Hummingbird

/// What every request passes before a handler sees it, and what every
/// response leaves with:
/// - `Host` must be this server's own loopback address and port: a page of
///   another site whose name was made to point at 127.0.0.1 (DNS
///   rebinding) sends its own name and is refused;
/// - anything but GET and HEAD needs `Origin` to be this server's origin
///   (the session cookie is SameSite=Strict as well, and handlers check the
///   CSRF token);
/// - the security headers (Reply.harden) go on every response, errors too;
/// - an error never reaches the browser as a stack of English: it becomes
///   a status and a line from the catalogue.
struct Guard<Context: RequestContext>: RouterMiddleware {
    let desk: Desk

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let language = Language.from(acceptLanguage: request.headers[.acceptLanguage])
        var response: Response
        do {
            let host = request.head.authority ?? ""
            guard desk.allows(host: host) else { throw Refusal(status: .misdirectedRequest, key: "web.refused.host") }
            if request.method != .get && request.method != .head {
                guard request.headers[.origin] == "http://\(host)" else {
                    throw Refusal(status: .forbidden, key: "web.refused.origin")
                }
            }
            response = try await next(request, context)
        } catch let r as Refusal {
            response = r.response(language)
        } catch let e as HTTPError {
            response = Reply.text(Catalogue.text(e.status == .notFound ? "web.refused.not_found" : "web.refused.bad_request",
                                                 language: language), status: e.status)
        } catch {
            response = Reply.text(Catalogue.text("web.refused.bad_request", language: language), status: .badRequest)
        }
        Reply.harden(&response.headers)
        return response
    }
}

extension Desk {
    /// Read from the server's threads: set once before the first request.
    func allows(host: String) -> Bool { hostsSnapshot.contains(host) }
}

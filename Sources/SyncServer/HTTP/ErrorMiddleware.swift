import Hummingbird
import Logging
import NIOCore
import SyncModel

/// Turns every failure into a JSON ``ErrorBody``: hub and sync errors with their codes,
/// unknown paths (404 `not_found`), known paths with the wrong method (405
/// `method_not_allowed`), oversized bodies (413) and anything else (500 `internal`, logged,
/// never a stack trace on the wire).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    /// The methods of every known path, for 405 answers.
    let routes: [String: String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try map(error, request: request, context: context).response(from: request, context: context)
        }
    }

    func map(_ error: any Error, request: Request, context: Context) -> HubError {
        switch error {
        case let error as HubError:
            return error
        case let error as SyncError:
            if HubError.status(for: error.code) == .internalServerError || error.code == .diskFull || error.code == .readOnly {
                context.logger.error("hub.store.failed", metadata: ["hub.error": "\(error.code)"])
            }
            return HubError(error)
        case is NIOTooManyBytesError:
            return HubError(.contentTooLarge, .payloadTooLarge, "the body is larger than this hub accepts")
        case let error as HTTPError where error.status == .notFound:
            if let allowed = routes[request.uri.path] {
                var hubError = HubError(.methodNotAllowed, .methodNotAllowed, "\(request.uri.path) answers \(allowed) only")
                hubError.allow = allowed
                return hubError
            }
            return HubError(.notFound, .notFound, "there is no \(request.uri.path) on this hub; see Protocol/openapi.yaml")
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return HubError(.contentTooLarge, .payloadTooLarge, "the body is larger than this hub accepts")
        case let error as any HTTPResponseError where (400..<500).contains(error.status.code):
            return HubError(error.status, .badRequest, "the request is malformed (\(error.status.reasonPhrase))")
        default:
            // GRDB's description names the SQL and SQLite's message, never the bound values
            // (statement arguments stay private), so personal data does not reach the log.
            context.logger.error(
                "hub.request.failed",
                metadata: ["hub.error.type": "\(String(reflecting: type(of: error)))", "hub.error": "\(error)"])
            return HubError(.internalServerError, .internalError, "something failed inside the hub; nothing of the request was applied")
        }
    }
}

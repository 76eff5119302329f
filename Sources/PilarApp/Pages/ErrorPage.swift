/// The error page of the web routes: the status, a message in the user's language and the request id.
struct ErrorPage: Encodable {
    var page: PageChrome
    var status: Int
    var message: String
    var requestID: String
}

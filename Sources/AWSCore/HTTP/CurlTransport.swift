import CCurl
import Foundation
import Synchronization

/// An ``HTTPTransport`` over libcurl.
///
/// One curl multi handle, driven by a dedicated thread, carries every request: connections are
/// kept alive and reused, many transfers run at once, and no thread of Swift's cooperative pool
/// ever blocks. TLS peer and host verification are always on; the proxy environment variables
/// (`https_proxy`, `no_proxy`, …) apply as curl defines them. Cancelling the calling task aborts
/// its transfer.
public final class CurlTransport: HTTPTransport {
    /// Settings that apply to every request.
    public struct Configuration: Sendable {
        /// Time limits for requests that carry none of their own.
        public var timeouts: HTTPTimeouts
        /// The largest response body accepted, in bytes.
        public var maxResponseBytes: Int
        /// Connections kept open for reuse across all hosts.
        public var maxIdleConnections: Int

        /// Creates settings.
        public init(timeouts: HTTPTimeouts = .standard, maxResponseBytes: Int = 64 << 20, maxIdleConnections: Int = 32) {
            self.timeouts = timeouts
            self.maxResponseBytes = maxResponseBytes
            self.maxIdleConnections = maxIdleConnections
        }
    }

    private let loop: CurlLoop
    /// The settings in force.
    public let configuration: Configuration

    /// Creates a transport and starts its thread; the thread ends when the transport is released.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.loop = CurlLoop(maxConnections: configuration.maxIdleConnections)
    }

    deinit { loop.shutdown() }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = try CurlTransfer(request: request, configuration: configuration)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }
}

/// libcurl's process-wide initialisation, done once before the first handle.
private let curlGlobalInit: Void = {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT))
}()

/// The thread that owns the multi handle. Every curl call on a transfer happens on this thread,
/// except building the easy handle before submission.
final class CurlLoop: @unchecked Sendable {
    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private struct Shared {
        var commands: [Command] = []
        var stopping = false
    }

    private let multi: UnsafeMutableRawPointer
    private let shared = Mutex(Shared())
    /// Transfers on the multi handle, by easy handle. Touched only by the loop thread.
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(maxConnections: Int) {
        _ = curlGlobalInit
        guard let handle = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        multi = handle
        curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnections)
        let thread = Thread { [self] in run() }
        thread.name = "aws-curl"
        thread.start()
    }

    func submit(_ transfer: CurlTransfer) {
        shared.withLock { $0.commands.append(.add(transfer)) }
        curl_multi_wakeup(multi)
    }

    func cancel(_ transfer: CurlTransfer) {
        shared.withLock { $0.commands.append(.cancel(transfer)) }
        curl_multi_wakeup(multi)
    }

    func shutdown() {
        shared.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let (commands, stopping) = shared.withLock { state -> ([Command], Bool) in
                defer { state.commands.removeAll(keepingCapacity: true) }
                return (state.commands, state.stopping)
            }
            for command in commands {
                switch command {
                case .add(let transfer):
                    if transfer.isCancelled {
                        transfer.finish(.failure(CancellationError()))
                    } else if curl_multi_add_handle(multi, transfer.easy) == CURLM_OK {
                        running[transfer.easy] = transfer
                    } else {
                        transfer.finish(.failure(HTTPTransportError(kind: .other, url: transfer.displayURL, detail: "curl refused the transfer")))
                    }
                case .cancel(let transfer):
                    transfer.markCancelled()
                    if running.removeValue(forKey: transfer.easy) != nil {
                        curl_multi_remove_handle(multi, transfer.easy)
                        transfer.finish(.failure(CancellationError()))
                    }
                }
            }
            if stopping {
                for transfer in running.values {
                    curl_multi_remove_handle(multi, transfer.easy)
                    transfer.finish(.failure(HTTPTransportError(kind: .other, url: transfer.displayURL, detail: "the transport was shut down")))
                }
                running.removeAll()
                curl_multi_cleanup(multi)
                return
            }
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = ccurl_msg_result(message)
                curl_multi_remove_handle(multi, easy)
                running.removeValue(forKey: easy)?.complete(code: code)
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }
}

/// One request on its way through curl: the easy handle, its header list and the response so far.
final class CurlTransfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    let displayURL: String
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private let maxResponseBytes: Int
    private var responseHeaders = HTTPHeaders()
    private var responseBody: [UInt8] = []
    private var tooLarge = false
    private let cancelled = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    var continuation: CheckedContinuation<HTTPResponse, Error>?

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }
    func markCancelled() { cancelled.store(true, ordering: .releasing) }

    init(request: HTTPRequest, configuration: CurlTransport.Configuration) throws {
        displayURL = String(request.url.prefix { $0 != "?" })
        guard request.url.hasPrefix("http://") || request.url.hasPrefix("https://") else {
            errorBuffer.deallocate()
            throw HTTPTransportError(kind: .invalidRequest, url: displayURL, detail: "only http and https URLs are supported")
        }
        guard let easy = curl_easy_init() else {
            errorBuffer.deallocate()
            throw HTTPTransportError(kind: .other, url: displayURL, detail: "curl_easy_init failed")
        }
        self.easy = easy
        maxResponseBytes = configuration.maxResponseBytes
        errorBuffer.initialize(to: 0)
        let timeouts = request.timeouts ?? configuration.timeouts

        ccurl_setopt_string(easy, CURLOPT_URL, request.url)
        ccurl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(timeouts.connect * 1000))
        ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(timeouts.total * 1000))
        ccurl_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseBytes))

        switch request.method {
        case "GET":
            ccurl_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD":
            ccurl_setopt_long(easy, CURLOPT_NOBODY, 1)
        default:
            ccurl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            ccurl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            // COPYPOSTFIELDS copies the bytes, so the request need not outlive this call.
            if request.body.isEmpty {
                ccurl_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                request.body.withUnsafeBytes { bytes in
                    _ = ccurl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress!))
                }
            }
        }

        // curl adds these on its own unless told not to: none of them is wanted.
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (name, value) in request.headers.fields {
            list = curl_slist_append(list, value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        for name in ["Expect", "Accept"] where !request.headers.contains(name) {
            list = curl_slist_append(list, "\(name):")
        }
        if !request.headers.contains("Content-Type") {
            list = curl_slist_append(list, "Content-Type:")
        }
        headerList = list
        ccurl_setopt_slist(easy, CURLOPT_HTTPHEADER, list)

        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        ccurl_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        ccurl_setopt_write_function(easy, curlWriteCallback)
        ccurl_setopt_header_function(easy, curlHeaderCallback)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    fileprivate func receive(body chunk: UnsafeRawBufferPointer) -> Bool {
        if responseBody.count + chunk.count > maxResponseBytes {
            tooLarge = true
            return false
        }
        responseBody.append(contentsOf: chunk)
        return true
    }

    fileprivate func receive(headerLine line: UnsafeRawBufferPointer) {
        // Trim CR and LF as bytes: as a String, "\r\n" is one Character and would not match either.
        var end = line.count
        while end > 0, line[end - 1] == 0x0D || line[end - 1] == 0x0A { end -= 1 }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            // A new status line: an interim (100) or redirect response came first; start afresh.
            responseHeaders = HTTPHeaders()
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = String(text[..<colon])
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        responseHeaders.add(name: name, value: value)
    }

    func complete(code: CURLcode) {
        if code == CURLE_OK {
            var status = 0
            ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            finish(.success(HTTPResponse(status: status, headers: responseHeaders, body: responseBody)))
            return
        }
        let detail = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        let kind: HTTPTransportError.Kind
        switch code {
        case CURLE_OPERATION_TIMEDOUT: kind = .timedOut
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .connectionFailed
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE: kind = .tlsFailure
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE: kind = .connectionLost
        case CURLE_FILESIZE_EXCEEDED: kind = .responseTooLarge
        case CURLE_WRITE_ERROR where tooLarge: kind = .responseTooLarge
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: kind = .invalidRequest
        default: kind = .other
        }
        let message = kind == .responseTooLarge ? "the body exceeds \(maxResponseBytes) bytes" : detail
        finish(.failure(HTTPTransportError(kind: kind, url: displayURL, detail: message)))
    }

    /// Resumes the waiting task once, whichever of completion or cancellation comes first.
    func finish(_ result: Result<HTTPResponse, Error>) {
        guard !finished.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let continuation = self.continuation
        self.continuation = nil
        continuation?.resume(with: result)
    }
}

private let curlWriteCallback: ccurl_data_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    return transfer.receive(body: UnsafeRawBufferPointer(start: pointer, count: length)) ? length : 0
}

private let curlHeaderCallback: ccurl_data_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    transfer.receive(headerLine: UnsafeRawBufferPointer(start: pointer, count: length))
    return length
}

// `borderpost-central`'s network side: HTTPS over TLS 1.3 with client certificates (Boost.Beast).
// A listener, one coroutine per connection, and request handling as an ordinary function.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/beast/http.hpp>

#include "sync/receiver.hpp"

namespace borderpost::sync {

struct ServerConfig {
  std::string address = "0.0.0.0";
  unsigned short port = 8443;  // 0: any free port (tests)
  std::string cert;            // server.crt
  std::string key;             // server.key
  std::string ca_cert;         // the directorate CA: stations' certificates must chain to it
  std::string crl;             // the CA's revocation list ("" disables revocation checks)
  int threads = 2;             // network I/O
  int workers = 8;             // verifying and storing batches: several, so one station's slow
                               // commit does not hold up the others
};

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Routes one request of an authenticated station (the CN of its verified certificate).
HttpResponse handle_request(Receiver& receiver, const HttpRequest& request, const std::string& station);

class CentralServer {
 public:
  CentralServer(ServerConfig config, Receiver& receiver, Trust& trust);
  ~CentralServer();
  unsigned short port() const;  // the bound port
  void start();                 // serves on its own threads
  void stop();                  // stops accepting, ends open connections, joins the threads

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace borderpost::sync

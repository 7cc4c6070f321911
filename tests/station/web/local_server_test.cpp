// The local API's transport answers every request exactly once, whatever its handler does.
#include <doctest/doctest.h>

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "web/local_server.hpp"
#include "web/local_client.hpp"

using namespace borderpost::station;
namespace http = boost::beast::http;

namespace {

HttpResponse text(const HttpRequest& request, const std::string& body) {
  return json_response(request, http::status::ok, nlohmann::json{{"said", body}}.dump());
}

// A server on its own loop thread whose handler does what the request's path asks.
struct ServerOnLoop {
  boost::asio::io_context io;
  LocalServer server;
  std::thread loop;

  ServerOnLoop()
      : server(io, "127.0.0.1", 0, "/api/events", [this](const HttpRequest& request, LocalServer::Respond respond) {
          const std::string path(request.target());
          if (path == "/twice") {
            respond(text(request, "first"));
            respond(text(request, "second"));
          } else if (path == "/answers-then-throws") {
            respond(text(request, "answered"));
            throw std::runtime_error("after the answer");
          } else if (path == "/throws") {
            throw std::runtime_error("before any answer");
          } else if (path == "/later-twice") {
            // A continuation on the loop answers, fails, and its failure answer follows (as the
            // daemon's answer_failure does): only the first reaches the client.
            boost::asio::post(io, [request, respond] {
              respond(text(request, "later"));
              respond(json_response(request, http::status::internal_server_error, R"({"error":"late failure"})"));
            });
          } else {
            respond(text(request, "plain"));
          }
        }),
        loop([this] { io.run(); }) {}
  ~ServerOnLoop() {
    boost::asio::post(io, [this] { server.close(); io.stop(); });
    loop.join();
  }
};

// Everything the server sends on one connection for one request, until it closes it.
std::string raw_exchange(unsigned short port, const std::string& path) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(request));
  std::string received;
  boost::system::error_code ec;
  boost::asio::read(socket, boost::asio::dynamic_buffer(received), ec);
  return received;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a handler that answers twice sends only its first answer") {
  ServerOnLoop s;
  const StationClient client(s.server.port());
  for (const char* path : {"/twice", "/later-twice"}) {
    CAPTURE(path);
    const ApiAnswer answer = client.get(path);
    REQUIRE(answer.status == 200);
    CHECK(answer.body["said"] != "second");
    CHECK(answer.body.value("error", "") == "");
  }
  CHECK(client.get("/plain").body["said"] == "plain");

  // On the wire: one response, not a second one written after (or into) the first.
  for (const char* path : {"/twice", "/later-twice"}) {
    CAPTURE(path);
    const std::string wire = raw_exchange(s.server.port(), path);
    CHECK(count_of(wire, "HTTP/1.1 ") == 1);
    CHECK(count_of(wire, "late failure") == 0);
  }
}

TEST_CASE("a handler that throws is answered with 500 once, or not again when it had answered") {
  ServerOnLoop s;
  const StationClient client(s.server.port());
  const ApiAnswer thrown = client.get("/throws");
  CHECK(thrown.status == 500);
  CHECK(thrown.body["error"].get<std::string>().find("before any answer") != std::string::npos);

  const ApiAnswer answered = client.get("/answers-then-throws");
  CHECK(answered.status == 200);
  CHECK(answered.body["said"] == "answered");
  CHECK(client.get("/plain").status == 200);
}

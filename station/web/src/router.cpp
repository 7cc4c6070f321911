// The local API's routing: which handler answers which request, and who may ask.
#include "web/router.hpp"

#include "web/api_support.hpp"
#include "web/web_files.hpp"

namespace borderpost::station {

namespace http = boost::beast::http;

void Router::handle(const HttpRequest& request, const LocalServer::Respond& respond) {
  try {
    const std::string target(request.target());
    const std::string path = target.substr(0, target.find('?'));
    const auto method = request.method();
    if (path.rfind("/api/", 0) != 0) {
      if (method == http::verb::get || method == http::verb::head)
        if (auto page = web_file(request, c_.web_dir, path)) return respond(std::move(*page));
      return respond(api::error(request, http::status::not_found, "no such page: " + path));
    }
    if (c_.session.handle(request, path, respond)) return;
    // The simulated reader stands for the hardware on the desk: it carries no person's data.
    if (path.rfind("/api/simulator/", 0) == 0) return respond(c_.simulator.handle(request, path.substr(15)));
    Session* session = nullptr;
    if (auto refusal = c_.session.refuse_unless_logged_in(request, session)) return respond(std::move(*refusal));
    if (c_.accounts.handle(request, path, *session, respond)) return;
    if (c_.desk.handle(request, path, *session, respond)) return;
    if (auto answered = c_.office.handle(request, path, *session)) return respond(std::move(*answered));
    respond(api::error(request, http::status::not_found, "no such API endpoint: " + std::string(request.method_string()) + " " + path));
  } catch (const api::BadRequest& e) {
    respond(api::error(request, http::status::bad_request, e.what(), e.phrase));
  }
}

}  // namespace borderpost::station

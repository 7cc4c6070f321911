// The simulated page reader's endpoints.
#include "web/simulator_api.hpp"

#include "web/api_support.hpp"

namespace borderpost::station {
namespace {

using namespace api;

// The simulated reader needs no log-in (it stands for hardware), so another web site open in the
// same browser must not drive it: a browser sends such a site's request with JSON only after a
// CORS preflight this server never grants, and names the site in Origin.
bool from_no_other_site(const HttpRequest& request) {
  const auto type = request.find(http::field::content_type);
  if (type == request.end() || type->value().substr(0, 16) != "application/json") return false;
  const auto origin = request.find(http::field::origin);
  if (origin == request.end()) return true;
  const auto host = request.find(http::field::host);
  return host != request.end() && (origin->value() == "http://" + std::string(host->value()));
}

}  // namespace

HttpResponse SimulatorApi::handle(const HttpRequest& request, const std::string& action) {
  const auto method = request.method();
  if (!reader_) return error(request, http::status::not_found, "this post has no simulated page reader");
  if (method == http::verb::get && action == "samples") return ok(request, reader_->samples());
  if (method != http::verb::post) return error(request, http::status::method_not_allowed, "use POST");
  if (!from_no_other_site(request))
    return error(request, http::status::forbidden,
                 "the simulated reader takes JSON (Content-Type: application/json) from this station's own pages or programs only");
  try {
    if (action == "place") {
      reader_->place(text_field(body_object(request), "sample", true));
    } else if (action == "remove") {
      reader_->remove();
    } else if (action == "unplug") {
      reader_->unplug();
    } else if (action == "plug") {
      reader_->plug();
    } else {
      return error(request, http::status::not_found, "no simulator action " + action);
    }
  } catch (const std::invalid_argument& e) {
    return error(request, http::status::not_found, e.what());
  } catch (const std::logic_error& e) {
    return error(request, http::status::conflict, e.what());
  }
  return ok(request, {{"ok", true}}, http::status::accepted);
}

}  // namespace borderpost::station

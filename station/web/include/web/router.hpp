// The local API's front door: a request goes to the static pages, the session endpoints, the
// simulated reader, or (for a logged-in person) the accounts, desk and office handlers, in that
// order. An ordinary function from request to response, testable without a socket.
#pragma once

#include <string>

#include "web/accounts_api.hpp"
#include "web/desk_api.hpp"
#include "web/local_server.hpp"
#include "web/office_api.hpp"
#include "web/session_api.hpp"
#include "web/simulator_api.hpp"

namespace borderpost::station {

class Router {
 public:
  struct Context {
    std::string web_dir;  // the pages (station/web); "" = the API only
    SessionApi& session;
    AccountsApi& accounts;
    DeskApi& desk;
    OfficeApi& office;
    SimulatorApi& simulator;
  };
  explicit Router(Context context) : c_(std::move(context)) {}

  // Answers through `respond`, at once or later (a password check, a photo).
  void handle(const HttpRequest& request, const LocalServer::Respond& respond);

 private:
  Context c_;
};

}  // namespace borderpost::station

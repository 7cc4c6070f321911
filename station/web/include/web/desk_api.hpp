// The local API of the inspector's desk: the post's status, the traveller at the desk and their
// images, the direction, a typed MRZ or data page, the decision, and the refusal reasons.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "accounts/sessions.hpp"
#include "firmware_bridge/traveller_camera.hpp"
#include "web/background.hpp"
#include "web/desk.hpp"
#include "web/local_server.hpp"

namespace borderpost::station {

class DeskApi {
 public:
  struct Context {
    const StationConfig& config;
    Desk& desk;
    Background& background;
    bridge::TravellerCamera* camera;  // the traveller camera, nullptr when the post has none
    std::function<void(bridge::TravellerPhoto::Outcome)> photo_taken;  // what the last photo found
    std::function<nlohmann::json()> status;                               // GET /api/status
    AuditWriter audit;
  };
  explicit DeskApi(Context context) : c_(std::move(context)) {}

  // Answers (now or later, through `respond`) and returns true when `path` is a desk endpoint.
  // Throws api::BadRequest for a malformed request.
  bool handle(const HttpRequest& request, const std::string& path, const Session& who, const LocalServer::Respond& respond);

 private:
  HttpResponse inspection(const HttpRequest& request, const std::string& path);
  HttpResponse image(const HttpRequest& request, const std::string& light);
  HttpResponse typed(const HttpRequest& request, const nlohmann::json& j);
  void decide(const HttpRequest& request, const nlohmann::json& j, const Session& who, const LocalServer::Respond& respond);
  HttpResponse recorded(const HttpRequest& request, const std::shared_ptr<Inspection>& inspection, Decision decision,
                        std::optional<bridge::TravellerPhoto> photo);
  Context c_;
};

}  // namespace borderpost::station

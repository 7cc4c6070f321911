// The local API over the post's records: the movement log (pages, one movement, its images, the
// CSV export), statistics, day sign-off and the audit trail. Roles are enforced here, not only in
// the pages: an inspector sees today's movements; everything else is for supervisors.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "web/audit_writer.hpp"
#include "web/local_server.hpp"
#include "phrase/phrase.hpp"
#include "accounts/sessions.hpp"
#include "config/config.hpp"
#include "store/store.hpp"
#include "sync/crypto.hpp"

namespace borderpost::station {

class OfficeApi {
 public:
  struct Context {
    const StationConfig& config;
    Store& store;
    const sync::SigningKey& key;
    std::function<std::string()> today;                 // the post's local date
    std::function<const Said&()> store_problem;  // why nothing can be written; empty when it can
    AuditWriter audit;
  };
  explicit OfficeApi(Context context) : c_(std::move(context)) {}

  // The answer when `path` is one of these endpoints; nullopt otherwise. Throws api::BadRequest.
  std::optional<HttpResponse> handle(const HttpRequest& request, const std::string& path, const Session& who);

 private:
  std::optional<StoredMovement> visible_movement(const std::string& uuid, const Session& who) const;
  HttpResponse list_movements(const HttpRequest& request, const Session& who);
  HttpResponse export_movements(const HttpRequest& request, const Session& who);
  HttpResponse one_movement(const HttpRequest& request, const std::string& uuid, const Session& who);
  HttpResponse movement_image(const HttpRequest& request, const std::string& uuid, const std::string& light, const Session& who);
  HttpResponse statistics(const HttpRequest& request, const Session& who);
  HttpResponse day(const HttpRequest& request, const std::string& date, const Session& who);
  HttpResponse sign_off(const HttpRequest& request, const std::string& date, const Session& who);
  HttpResponse audit_trail(const HttpRequest& request, const Session& who);
  Context c_;
};

}  // namespace borderpost::station

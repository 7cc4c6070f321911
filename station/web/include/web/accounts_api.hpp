// The local API's account management: supervisors manage inspectors' accounts, administrators
// every account (create, disable, enable, set a new password). Nobody manages their own account
// here. Password hashing is slow by design, so it runs off the event loop.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "web/audit_writer.hpp"
#include "web/background.hpp"
#include "web/local_server.hpp"
#include "phrase/phrase.hpp"
#include "accounts/sessions.hpp"
#include "accounts/accounts.hpp"

namespace borderpost::station {

class AccountsApi {
 public:
  struct Context {
    Accounts& accounts;
    Sessions& sessions;
    std::function<const Said&()> store_problem;  // why nothing can be written; empty when it can
    AuditWriter audit;
    Background& background;  // hashes passwords off the loop
  };
  explicit AccountsApi(Context context) : c_(std::move(context)) {}

  // Answers (now or later, through `respond`) and returns true when `path` is an accounts
  // endpoint. Throws api::BadRequest for a malformed request.
  bool handle(const HttpRequest& request, const std::string& path, const Session& who, const LocalServer::Respond& respond);

 private:
  void create(const HttpRequest& request, const Session& who, const LocalServer::Respond& respond);
  void change(const HttpRequest& request, const std::string& id, const std::string& action, const Session& who,
              const LocalServer::Respond& respond);
  // Why `who` may not manage `target`, or nothing.
  Said refusal(const Session& who, const std::string& target_id, Role target_role) const;
  Context c_;
};

}  // namespace borderpost::station

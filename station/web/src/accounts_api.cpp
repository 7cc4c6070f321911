// The account management endpoints (see accounts_api.hpp).
#include "web/accounts_api.hpp"

#include "web/api_support.hpp"

namespace borderpost::station {
namespace {

using namespace api;

json to_json(const Account& a, std::int64_t now) {
  return {{"account", a.id},          {"name", a.name},
          {"role", to_string(a.role)}, {"language", a.language},
          {"disabled", a.disabled},    {"locked", a.locked_until > now},
          {"failed_logins", a.failed_logins}, {"created_at", a.created_at}};
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Said AccountsApi::refusal(const Session& who, const std::string& target_id, Role target_role) const {
  if (!at_least(who.role, Role::Supervisor)) return said("managing accounts is for supervisors", "error.accounts.supervisors_only");
  if (target_id == who.account)
    return said("nobody manages their own account here; ask another supervisor or an administrator", "error.accounts.own");
  if (who.role != Role::Administrator && target_role != Role::Inspector) {
    const std::string role(to_string(target_role));
    return said("a supervisor manages inspectors' accounts; " + role + " accounts are for an administrator",
                "error.accounts.administrators_only", {{"role", role}});
  }
  return {};
}

bool AccountsApi::handle(const HttpRequest& request, const std::string& path, const Session& who, const LocalServer::Respond& respond) {
  const auto method = request.method();
  if (path == "/api/accounts" && method == http::verb::get) {
    if (!at_least(who.role, Role::Supervisor)) {
      respond(error(request, http::status::forbidden, "the accounts are for supervisors", {"error.accounts.supervisors_only"}));
      return true;
    }
    json list = json::array();
    const auto now = unix_now();
    for (const auto& a : c_.accounts.list()) list.push_back(to_json(a, now));
    respond(ok(request, {{"accounts", list}}));
    return true;
  }
  if (path == "/api/accounts" && method == http::verb::post) {
    create(request, who, respond);
    return true;
  }
  if (path.rfind("/api/accounts/", 0) == 0 && method == http::verb::post) {
    const auto rest = path.substr(14);
    const auto slash = rest.find('/');
    if (slash == std::string::npos) return false;
    change(request, rest.substr(0, slash), rest.substr(slash + 1), who, respond);
    return true;
  }
  return false;
}

void AccountsApi::create(const HttpRequest& request, const Session& who, const LocalServer::Respond& respond) {
  const auto body = body_object(request);
  const auto id = text_field(body, "account", true);
  const auto name = text_field(body, "name", true);
  auto language = text_field(body, "language");
  if (language.empty()) language = who.language;
  const auto role_name = text_field(body, "role");
  const auto role = role_name.empty() ? std::optional(Role::Inspector) : role_named(role_name);
  if (!role) throw BadRequest("role must be inspector, supervisor or administrator");
  const auto password = text_field(body, "password", true);
  if (auto why = refusal(who, id, *role); !why.empty()) return respond(error(request, http::status::forbidden, why.english, why.phrase));
  for (const auto& problem : {account_id_problem(id), password_problem(password)})
    if (!problem.empty()) throw BadRequest(problem.english, problem.phrase);
  if (!known_language(language)) throw BadRequest("language must be es, pt, en or fr");
  if (name.empty() || name.size() > 200) throw BadRequest("the name must be 1-200 characters", {"error.accounts.name"});
  if (!c_.store_problem().empty())
    return respond(not_written(request, said("The account was NOT created.", "error.accounts.not_created"), c_.store_problem()));
  if (c_.accounts.find(id))
    return respond(error(request, http::status::conflict, "the account id " + id + " is taken", {"error.accounts.taken", {{"account", id}}}));
  const auto cost = c_.accounts.cost();
  const auto actor = who.account;
  auto answer_to = std::make_shared<HttpRequest>(request);
  c_.background.run([password, cost] { return hash_password(password, cost); },
              [this, answer_to, respond, id, name, role = *role, language, actor](std::optional<std::string> encoded) {
                if (!encoded)
                  return respond(error(*answer_to, http::status::service_unavailable, "The account was NOT created: the password could not be hashed",
                                       {"error.accounts.not_created", {}, {{"error.accounts.not_hashed"}}}));
                try {
                  const auto account = c_.accounts.add(id, name, role, Accounts::Hashed{std::move(*encoded)}, language);
                  c_.audit(actor, "account.added", id, std::string(to_string(role)));
                  respond(ok(*answer_to, to_json(account, unix_now()), http::status::created));
                } catch (const std::invalid_argument& e) {  // taken meanwhile
                  respond(error(*answer_to, http::status::conflict, e.what(), {"error.accounts.taken", {{"account", id}}}));
                } catch (const std::exception& e) {
                  respond(error(*answer_to, http::status::service_unavailable, std::string("The account was NOT created: ") + e.what(),
                                {"error.accounts.not_created", {}, {{"error.reason", {{"why", e.what()}}}}}));
                }
              });
}

void AccountsApi::change(const HttpRequest& request, const std::string& id, const std::string& action, const Session& who,
                         const LocalServer::Respond& respond) {
  if (action != "disable" && action != "enable" && action != "password")
    return respond(error(request, http::status::not_found, "no account action " + action + " (disable, enable or password)"));
  const auto target = c_.accounts.find(id);
  if (!at_least(who.role, Role::Supervisor))
    return respond(error(request, http::status::forbidden, "managing accounts is for supervisors", {"error.accounts.supervisors_only"}));
  if (!target) return respond(error(request, http::status::not_found, "no account " + id, {"error.accounts.no_such", {{"account", id}}}));
  if (auto why = refusal(who, id, target->role); !why.empty()) return respond(error(request, http::status::forbidden, why.english, why.phrase));
  if (!c_.store_problem().empty())
    return respond(not_written(request, said("Nothing was changed.", "error.accounts.not_changed"), c_.store_problem()));
  const auto actor = who.account;
  if (action != "password") {
    const bool disable = action == "disable";
    c_.accounts.set_disabled(id, disable);
    if (disable) c_.sessions.close_account(id);  // logged out at once, wherever
    c_.audit(actor, disable ? "account.disabled" : "account.enabled", id, "");
    return respond(ok(request, to_json(*c_.accounts.find(id), unix_now())));
  }
  const auto password = text_field(body_object(request), "password", true);
  if (auto problem = password_problem(password); !problem.empty()) throw BadRequest(problem.english, problem.phrase);
  const auto cost = c_.accounts.cost();
  auto answer_to = std::make_shared<HttpRequest>(request);
  c_.background.run([password, cost] { return hash_password(password, cost); },
              [this, answer_to, respond, id, actor](std::optional<std::string> encoded) {
                if (!encoded)
                  return respond(error(*answer_to, http::status::service_unavailable, "The password was NOT changed: it could not be hashed",
                                       {"error.accounts.password_not_set", {}, {{"error.accounts.not_hashed"}}}));
                try {
                  c_.accounts.set_password(id, Accounts::Hashed{std::move(*encoded)});  // and lifts a lock-out
                  c_.sessions.close_account(id);
                  c_.audit(actor, "account.password-set", id, "");
                  respond(ok(*answer_to, to_json(*c_.accounts.find(id), unix_now())));
                } catch (const std::exception& e) {
                  respond(error(*answer_to, http::status::service_unavailable, std::string("The password was NOT changed: ") + e.what(),
                                {"error.accounts.password_not_set", {}, {{"error.reason", {{"why", e.what()}}}}}));
                }
              });
}

}  // namespace borderpost::station

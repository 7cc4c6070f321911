// How a handler has an entry written to the post's audit trail (who did what to which subject).
#pragma once

#include <functional>
#include <string>

namespace borderpost::station {

using AuditWriter =
    std::function<void(const std::string& actor, const std::string& action, const std::string& subject, const std::string& detail)>;

}  // namespace borderpost::station

// JSON form of a parsed document (the keys `borderpost mrz parse --json` prints, documented in the README).
#pragma once

#include <nlohmann/json.hpp>

#include "mrz/document.hpp"

namespace mrz {

nlohmann::json to_json(const Document& document);

}  // namespace mrz

// JSON form of MRZ engine results, as printed by `borderpost mrz parse --json`.
#pragma once

#include <nlohmann/json.hpp>

#include "mrz/document.hpp"

namespace mrz::cli {

nlohmann::json to_json(const Document& document);

}  // namespace mrz::cli

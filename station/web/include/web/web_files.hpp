// The pages' files (station/web/) served by the daemon: only files under the web directory, only
// kinds a page needs, with headers that keep a browser strict (content security policy, no
// framing, no sniffing, no referrer).
#pragma once

#include <optional>
#include <string>

#include "web/local_server.hpp"

namespace borderpost::station {

// The response for GET `path` ("/" is "/index.html"), or nullopt when no such page file exists.
std::optional<HttpResponse> web_file(const HttpRequest& request, const std::string& web_dir, const std::string& path);

// The content type of a page file by its extension, or "" for a kind the pages do not use.
std::string web_content_type(const std::string& path);

}  // namespace borderpost::station

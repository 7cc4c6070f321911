// Headless Chromium for the page tests, driven through ChromeDriver's W3C WebDriver protocol
// (HTTP+JSON on loopback): both are Debian packages (chromium, chromium-driver) of one version.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "web/local_client.hpp"

namespace borderpost::test {

class Browser {
 public:
  // Starts chromedriver and one Chromium session at 1366x768 (logs in `log_dir`).
  explicit Browser(const std::string& log_dir);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  void go(const std::string& url);
  void type(const std::string& css, const std::string& text);
  void click(const std::string& css);
  void press(const std::string& keys);  // keys to the focused page, e.g. "a"
  void press_key(const std::string& key);  // one WebDriver key, e.g. "\uE007" (Enter), as UTF-8
  std::string text(const std::string& css);
  std::string attribute(const std::string& css, const std::string& name);
  nlohmann::json property(const std::string& css, const std::string& name);  // a DOM property, e.g. naturalWidth
  nlohmann::json rect(const std::string& css);  // {"x", "y", "width", "height"} in CSS pixels of the page
  void clear(const std::string& css);
  std::string url();
  std::string print_pdf();
  // Runs `script` in the page (WebDriver Execute Async Script); it ends by calling done(value), and
  // the value comes back. For what a person's browser can fetch, e.g. a download link's content.
  nlohmann::json run_async(const std::string& script);  // the page as the browser prints it (WebDriver Print): PDF bytes
  // Polls until the element's text contains `needle`; returns the last text seen.
  std::string wait_for_text(const std::string& css, const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  void save_screenshot(const std::string& png_path);

 private:
  nlohmann::json call(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);
  std::string element(const std::string& css);
  std::unique_ptr<BackgroundProcess> driver_;
  std::unique_ptr<station::StationClient> http_;
  std::string session_;
};

}  // namespace borderpost::test

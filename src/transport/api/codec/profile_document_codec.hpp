// JSON of the profile's export document (issue 6, item 3; app/profiles/profile_transfer.hpp):
//   {"format":"soporte-profile","version":1,"organisation":"acme","exported_at":"…+00:00",
//    "secrets":"excluded"|"encrypted",
//    "encryption":{"kdf":"argon2id13","cipher":"xchacha20poly1305-ietf","salt":"…","opslimit":3,
//                  "memlimit":268435456,"check":{"nonce":"…","ciphertext":"…"}},   (encrypted only)
//    "entries":[{"key":"environment-1","kind":"environment","fields":{…}},
//               {"key":"os_user-1","kind":"os_user","parent":"environment-1","fields":{"user":"foxsvc"},
//                "secrets":{"password":{"set":true}}}, …]}
// and the bodies of the export and import requests. The parsers are fed outside input (a file a
// person uploads): every shape error is kInvalidArgument naming the member; fuzzed in fuzz/.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "app/profiles/profile_transfer.hpp"

namespace soporte::transport::api::codec {

inline constexpr char kProfileDocumentFormat[] = "soporte-profile";

boost::json::value ProfileDocumentJson(const app::ProfileDocument& doc);
// The document in `v`. Checks the shape only (format, version, types, unknown members, known
// kinds and field names); the meaning (parents, references, field values) is the use case's.
Result<app::ProfileDocument> ParseProfileDocument(const boost::json::value& v);
Result<app::ProfileDocument> ParseProfileDocumentText(std::string_view text);

// POST …/profile/export: {"include_secrets":true,"passphrase":"…","reason":"…"}; an empty body
// is an export without secrets.
Result<app::ExportRequest> ParseExportRequest(std::string_view body);
// POST …/profile/import: {"document":{…},"mode":"merge"|"replace","passphrase":"…"} (mode
// defaults to merge).
Result<app::ImportRequest> ParseImportRequest(std::string_view body);

boost::json::value ImportSummaryJson(const app::ImportSummary& s);

// The download's file name: "soporte-profile-acme-2026-11-28.json" (secrets: "…-secrets.json").
std::string ProfileExportFileName(const app::ProfileDocument& doc);

}  // namespace soporte::transport::api::codec

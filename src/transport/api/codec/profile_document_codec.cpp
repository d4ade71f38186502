#include "transport/api/codec/profile_document_codec.hpp"

#include <boost/json.hpp>
#include <date/tz.h>

#include "domain/calendar/zones.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::transport::api::codec {
namespace json = boost::json;
namespace {

using domain::FieldType;

tl::unexpected<Error> Bad(std::string message) {
  return tl::make_unexpected(Error{ErrorCode::kInvalidArgument, std::move(message)});
}

const date::time_zone* Utc() { return domain::calendar::Utc(); }

json::object Sealed(const app::PassphraseSealed& s) {
  return json::object{{"nonce", s.nonce}, {"ciphertext", s.ciphertext}};
}

Result<std::string> String(const json::value& v, const std::string& where) {
  if (!v.is_string()) return Bad(where + " must be a string");
  return std::string(v.as_string());
}

Result<std::uint64_t> Unsigned(const json::value& v, const std::string& where) {
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<std::uint64_t>(v.as_int64());
  return Bad(where + " must be a non-negative integer");
}

Result<const json::object*> Object(const json::value& v, const std::string& where) {
  if (!v.is_object()) return Bad(where + " must be an object");
  return &v.as_object();
}

Result<app::PassphraseSealed> ParseSealed(const json::value& v, const std::string& where) {
  SOPORTE_TRY(o, Object(v, where));
  app::PassphraseSealed s;
  bool has_nonce = false, has_cipher = false;
  for (const auto& kv : *o) {
    const std::string k(kv.key());
    if (k == "nonce") {
      SOPORTE_TRY(n, String(kv.value(), where + ".nonce"));
      s.nonce = std::move(n);
      has_nonce = true;
    } else if (k == "ciphertext") {
      SOPORTE_TRY(c, String(kv.value(), where + ".ciphertext"));
      s.ciphertext = std::move(c);
      has_cipher = true;
    } else {
      return Bad(where + ": unknown member '" + k + "'");
    }
  }
  if (!has_nonce || !has_cipher) return Bad(where + " needs nonce and ciphertext");
  return s;
}

Result<app::PassphraseParams> ParseEncryption(const json::value& v, app::PassphraseSealed& check,
                                              bool& has_check) {
  SOPORTE_TRY(o, Object(v, "encryption"));
  app::PassphraseParams p;
  for (const auto& kv : *o) {
    const std::string k(kv.key());
    const std::string where = "encryption." + k;
    if (k == "kdf") {
      SOPORTE_TRY(s, String(kv.value(), where));
      p.kdf = std::move(s);
    } else if (k == "cipher") {
      SOPORTE_TRY(s, String(kv.value(), where));
      p.cipher = std::move(s);
    } else if (k == "salt") {
      SOPORTE_TRY(s, String(kv.value(), where));
      p.salt = std::move(s);
    } else if (k == "opslimit") {
      SOPORTE_TRY(n, Unsigned(kv.value(), where));
      p.opslimit = n;
    } else if (k == "memlimit") {
      SOPORTE_TRY(n, Unsigned(kv.value(), where));
      p.memlimit = n;
    } else if (k == "check") {
      SOPORTE_TRY(c, ParseSealed(kv.value(), where));
      check = std::move(c);
      has_check = true;
    } else {
      return Bad("encryption: unknown member '" + k + "'");
    }
  }
  for (const char* required : {"kdf", "cipher", "salt", "opslimit", "memlimit"}) {
    if (!o->contains(required)) return Bad("encryption." + std::string(required) + " is missing");
  }
  return p;
}

Result<app::DocumentEntry> ParseEntry(const json::value& v, std::size_t i) {
  const std::string at = "entries[" + std::to_string(i) + "]";
  SOPORTE_TRY(o, Object(v, at));
  app::DocumentEntry e;
  // The kind first: the fields are checked against it.
  auto kind_it = o->find("kind");
  if (kind_it == o->end()) return Bad(at + ".kind is missing");
  SOPORTE_TRY(kind_name, String(kind_it->value(), at + ".kind"));
  auto kind = domain::ParseProfileKind(kind_name);
  if (!kind) return Bad(at + ".kind: unknown kind '" + kind_name + "'");
  e.kind = *kind;
  const std::string kind_text(domain::SpecOf(e.kind).name);
  bool has_key = false;
  for (const auto& kv : *o) {
    const std::string k(kv.key());
    const json::value& val = kv.value();
    if (k == "kind") continue;
    if (k == "key") {
      SOPORTE_TRY(s, String(val, at + ".key"));
      e.key = std::move(s);
      has_key = true;
    } else if (k == "parent") {
      if (val.is_null()) continue;
      SOPORTE_TRY(s, String(val, at + ".parent"));
      e.parent = std::move(s);
    } else if (k == "fields") {
      SOPORTE_TRY(fields, Object(val, at + ".fields"));
      for (const auto& f : *fields) {
        const std::string name(f.key());
        const auto* spec = domain::FieldOf(e.kind, name);
        if (spec == nullptr || spec->type == FieldType::kSecret) {
          return Bad(at + ".fields: unknown field '" + name + "' for a " + kind_text);
        }
        if (f.value().is_null()) continue;
        if (f.value().is_string()) {
          e.fields[name] = std::string(f.value().as_string());
        } else if (spec->type == FieldType::kPort && f.value().is_int64()) {
          e.fields[name] = std::to_string(f.value().as_int64());
        } else {
          return Bad(at + ".fields." + name +
                     (spec->type == FieldType::kPort ? " must be a number" : " must be a string"));
        }
      }
    } else if (k == "secrets") {
      SOPORTE_TRY(secrets, Object(val, at + ".secrets"));
      for (const auto& s : *secrets) {
        const std::string name(s.key());
        const auto* spec = domain::FieldOf(e.kind, name);
        if (spec == nullptr || spec->type != FieldType::kSecret) {
          return Bad(at + ".secrets: '" + name + "' is not a secret field of a " + kind_text);
        }
        const std::string where = at + ".secrets." + name;
        SOPORTE_TRY(so, Object(s.value(), where));
        app::DocumentSecret ds;
        app::PassphraseSealed sealed;
        bool has_nonce = false, has_cipher = false;
        for (const auto& m : *so) {
          const std::string mk(m.key());
          if (mk == "set") {
            if (!m.value().is_bool()) return Bad(where + ".set must be true or false");
            ds.set = m.value().as_bool();
          } else if (mk == "nonce") {
            SOPORTE_TRY(n, String(m.value(), where + ".nonce"));
            sealed.nonce = std::move(n);
            has_nonce = true;
          } else if (mk == "ciphertext") {
            SOPORTE_TRY(c, String(m.value(), where + ".ciphertext"));
            sealed.ciphertext = std::move(c);
            has_cipher = true;
          } else {
            return Bad(where + ": unknown member '" + mk + "'");
          }
        }
        if (has_nonce != has_cipher) return Bad(where + " needs both nonce and ciphertext");
        if (has_nonce) {
          ds.set = true;
          ds.value = std::move(sealed);
        }
        e.secrets[name] = std::move(ds);
      }
    } else {
      return Bad(at + ": unknown member '" + k + "'");
    }
  }
  if (!has_key) return Bad(at + ".key is missing");
  return e;
}

Result<json::value> ParseBody(std::string_view body, const char* empty_message) {
  if (body.empty()) return Bad(empty_message);
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Bad("the request body is not valid JSON: " + ec.message());
  if (!v.is_object()) return Bad("the request body must be a JSON object");
  return v;
}

}  // namespace

json::value ProfileDocumentJson(const app::ProfileDocument& doc) {
  json::object o;
  o["format"] = kProfileDocumentFormat;
  o["version"] = doc.version;
  o["organisation"] = doc.organisation;
  o["exported_at"] = text::FormatIso8601(doc.exported_at, Utc());
  o["secrets"] = doc.encryption ? "encrypted" : "excluded";
  if (doc.encryption) {
    const auto& p = *doc.encryption;
    json::object enc{{"kdf", p.kdf},
                     {"cipher", p.cipher},
                     {"salt", p.salt},
                     {"opslimit", p.opslimit},
                     {"memlimit", p.memlimit}};
    if (doc.check) enc["check"] = Sealed(*doc.check);
    o["encryption"] = std::move(enc);
  }
  json::array entries;
  for (const auto& e : doc.entries) {
    json::object x;
    x["key"] = e.key;
    x["kind"] = domain::SpecOf(e.kind).name;
    if (!e.parent.empty()) x["parent"] = e.parent;
    json::object fields;
    for (const auto& [name, value] : e.fields) {
      const auto* f = domain::FieldOf(e.kind, name);
      if (f != nullptr && f->type == FieldType::kPort && !value.empty() && value.size() <= 5 &&
          value.find_first_not_of("0123456789") == std::string::npos) {
        fields[name] = std::stoll(value);
      } else {
        fields[name] = value;
      }
    }
    x["fields"] = std::move(fields);
    if (!e.secrets.empty()) {
      json::object secrets;
      for (const auto& [name, s] : e.secrets) {
        json::object so{{"set", s.set}};
        if (s.value) {
          so["nonce"] = s.value->nonce;
          so["ciphertext"] = s.value->ciphertext;
        }
        secrets[name] = std::move(so);
      }
      x["secrets"] = std::move(secrets);
    }
    entries.push_back(std::move(x));
  }
  o["entries"] = std::move(entries);
  return o;
}

Result<app::ProfileDocument> ParseProfileDocument(const json::value& v) {
  SOPORTE_TRY(o, Object(v, "the document"));
  // Format and version first: a file of another kind, or of a newer version, is named as such
  // rather than by its first unknown member.
  auto format = o->find("format");
  if (format == o->end() || !format->value().is_string() ||
      format->value().as_string() != kProfileDocumentFormat) {
    return Bad("format must be \"soporte-profile\": this is not a profile export");
  }
  auto version = o->find("version");
  if (version == o->end() || !version->value().is_int64() ||
      version->value().as_int64() != app::kProfileDocumentVersion) {
    return Bad("version must be " + std::to_string(app::kProfileDocumentVersion) +
               " (this server reads profile documents of version 1)");
  }
  app::ProfileDocument doc;
  doc.version = app::kProfileDocumentVersion;
  bool has_entries = false, has_check = false;
  std::string secrets_mode;
  app::PassphraseSealed check;
  for (const auto& kv : *o) {
    const std::string k(kv.key());
    const json::value& val = kv.value();
    if (k == "format" || k == "version") continue;
    if (k == "organisation") {
      SOPORTE_TRY(s, String(val, "organisation"));
      // Informative (the history names it); a slug is short.
      if (s.size() > 100) return Bad("organisation must have at most 100 characters");
      doc.organisation = std::move(s);
    } else if (k == "exported_at") {
      SOPORTE_TRY(s, String(val, "exported_at"));
      auto t = text::ParseIso8601(s, Utc());
      if (!t) return Bad("exported_at must be a date and time (ISO 8601)");
      doc.exported_at = *t;
    } else if (k == "secrets") {
      SOPORTE_TRY(s, String(val, "secrets"));
      if (s != "excluded" && s != "encrypted")
        return Bad("secrets must be \"excluded\" or \"encrypted\"");
      secrets_mode = std::move(s);
    } else if (k == "encryption") {
      if (val.is_null()) continue;
      SOPORTE_TRY(p, ParseEncryption(val, check, has_check));
      doc.encryption = std::move(p);
    } else if (k == "entries") {
      if (!val.is_array()) return Bad("entries must be an array");
      const auto& arr = val.as_array();
      if (arr.size() > app::kMaxDocumentEntries) {
        return Bad("a document holds at most " + std::to_string(app::kMaxDocumentEntries) +
                   " entries");
      }
      for (std::size_t i = 0; i < arr.size(); ++i) {
        SOPORTE_TRY(e, ParseEntry(arr[i], i));
        doc.entries.push_back(std::move(e));
      }
      has_entries = true;
    } else {
      return Bad("unknown member '" + k + "' in the document");
    }
  }
  if (!has_entries) return Bad("entries is missing");
  if (secrets_mode == "encrypted" && !doc.encryption)
    return Bad("encryption is missing (secrets are \"encrypted\")");
  if (secrets_mode == "excluded" && doc.encryption)
    return Bad("encryption is present but secrets are \"excluded\"");
  if (doc.encryption && !has_check) return Bad("encryption.check is missing");
  if (has_check) doc.check = std::move(check);
  return doc;
}

Result<app::ProfileDocument> ParseProfileDocumentText(std::string_view text) {
  SOPORTE_TRY(v, ParseBody(text, "the document is empty"));
  return ParseProfileDocument(v);
}

Result<app::ExportRequest> ParseExportRequest(std::string_view body) {
  app::ExportRequest r;
  if (body.empty()) return r;
  SOPORTE_TRY(v, ParseBody(body, ""));
  for (const auto& kv : v.as_object()) {
    const std::string k(kv.key());
    if (k == "include_secrets") {
      if (!kv.value().is_bool()) return Bad("include_secrets must be true or false");
      r.include_secrets = kv.value().as_bool();
    } else if (k == "passphrase") {
      SOPORTE_TRY(s, String(kv.value(), "passphrase"));
      r.passphrase = std::move(s);
    } else if (k == "reason") {
      SOPORTE_TRY(s, String(kv.value(), "reason"));
      r.reason = std::move(s);
    } else {
      return Bad("unknown field '" + k + "'");
    }
  }
  return r;
}

Result<app::ImportRequest> ParseImportRequest(std::string_view body) {
  SOPORTE_TRY(v, ParseBody(body, "the request body is empty; {\"document\":{…}} is expected"));
  app::ImportRequest r;
  bool has_document = false;
  for (const auto& kv : v.as_object()) {
    const std::string k(kv.key());
    if (k == "document") {
      SOPORTE_TRY(doc, ParseProfileDocument(kv.value()));
      r.document = std::move(doc);
      has_document = true;
    } else if (k == "mode") {
      SOPORTE_TRY(s, String(kv.value(), "mode"));
      if (s == "merge") {
        r.mode = app::ImportMode::kMerge;
      } else if (s == "replace") {
        r.mode = app::ImportMode::kReplace;
      } else {
        return Bad("mode must be \"merge\" or \"replace\" (got \"" + s + "\")");
      }
    } else if (k == "passphrase") {
      if (kv.value().is_null()) continue;
      SOPORTE_TRY(s, String(kv.value(), "passphrase"));
      r.passphrase = std::move(s);
    } else {
      return Bad("unknown field '" + k + "'");
    }
  }
  if (!has_document)
    return Bad("document is missing: {\"document\":{…},\"mode\":\"merge\"} is expected");
  return r;
}

json::value ImportSummaryJson(const app::ImportSummary& s) {
  return json::object{{"created", s.created},
                      {"updated", s.updated},
                      {"unchanged", s.unchanged},
                      {"deleted", s.deleted},
                      {"secrets_imported", s.secrets_imported},
                      {"secrets_skipped", s.secrets_skipped}};
}

std::string ProfileExportFileName(const app::ProfileDocument& doc) {
  const std::string day = text::FormatIso8601(doc.exported_at, Utc()).substr(0, 10);
  return "soporte-profile-" + doc.organisation + "-" + day + (doc.encryption ? "-secrets" : "") +
         ".json";
}

}  // namespace soporte::transport::api::codec

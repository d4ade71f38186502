// The JSON of the audit log (docs/api.md, "Audit log"): one entry is
// {id, kind, subject: {id, name}, by: {id, name} | null, at, from, field, before, after};
// a page is {"entries": [...], "next_cursor": "<id>" | null}. Values are the stable texts the
// use cases wrote (wire names, ISO dates); the UI translates them.
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "app/ports/audit_repository.hpp"
#include "common/result.hpp"

namespace soporte::transport::api::codec {

boost::json::value AuditEntryJson(const app::AuditEntryView& v);
// A page of `limit` asked: next_cursor names the next page when this one is full.
boost::json::value AuditPageJson(const std::vector<app::AuditEntryView>& page, int limit);

// The audit list cursor: the id below which the next page starts (opaque to clients).
// kInvalidArgument ("cursor is not valid") for anything but a positive whole number.
Result<std::int64_t> ParseAuditCursor(const std::string& s);

}  // namespace soporte::transport::api::codec

// The live relay port: carries what changed (a ticket's TicketChanged, a chat's ChatNote) from
// the node where it happened to the other nodes serving the same desk, so each pushes it to its
// own live views (app/live/relayed_events.hpp). A note names things by id only: the receiving
// node reads a chat's rows from the store (the rows, not the notes, are the truth). Implemented
// by storage/postgres/pg_live_relay.* (LISTEN/NOTIFY); one node on SQLite needs none.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "app/ports/event_bus.hpp"
#include "common/ids.hpp"

namespace soporte::app {

// A chat's change, by id: the receiving node reads the chat (and message `seq`) itself.
struct ChatNote {
  std::int64_t chat_id = 0;
  std::string kind;      // ChatEvent::kind: "opened", "message", "taken", … "waiting"
  std::int64_t seq = 0;  // kind "message": the message's seq; 0 otherwise
  UserId to_user;        // kind "waiting": the agent the wait alert is for
};

using LiveNote = std::variant<TicketChanged, ChatNote>;

// What a relay delivers. Called on the relay's own thread, one call at a time, so an
// implementation may block briefly (a store read) but holds up the notes behind it.
class LiveReceiver {
 public:
  virtual ~LiveReceiver() = default;
  // A note another node sent: each once, in the order that node sent them. Never this node's own.
  virtual void OnNote(const LiveNote& note) = 0;
  // Notes may have been missed (the relay lost its connection, or a node dropped some): the live
  // views should reload from the store. Called after the relay hears new notes again.
  virtual void OnResync() = 0;
};

class LiveRelay {
 public:
  virtual ~LiveRelay() = default;
  // Queues `note` for the other nodes and returns at once; never fails the caller (a note that
  // cannot be queued or sent is dropped with a log line, and the other nodes resync). Thread-safe.
  virtual void Send(const LiveNote& note) = 0;
};

}  // namespace soporte::app

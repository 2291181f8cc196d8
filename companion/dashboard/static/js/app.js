// Dashboard entry: live updates for every page, then the page's own controls.
import { startLive } from "./live.js";
import { scheduleRefresh } from "./refresh.js";
import { setupPeople } from "./people.js";
import { setupPipeline } from "./pipeline.js";
import { setupPerson } from "./person.js";
import { setupSettings } from "./settings.js";
import { setupInsights } from "./insights.js";
import { setupCadence, setupDefaults, setupReminderActions } from "./keep.js";
import { setupMeetups, setupPlan, setupPlaceFields } from "./meetups.js";
import { setupBrief } from "./brief.js";
import { setupKeys } from "./keys.js";
import { setupBulk } from "./bulk.js";
import { setupImportCsv } from "./import_csv.js";
import { setupDuplicates, setupMergeWith } from "./duplicates.js";

const body = document.body.dataset;

function concernsThisPage(event) {
  if (event.type === "reconnected") return true;
  if (event.type === "pairing.requested") return body.page === "settings";
  if (body.page === "person") {
    return event.key === body.personKey
      || (event.handle && event.handle.toLowerCase() === body.personHandle)
      || (event.user_id && event.user_id === body.personUserId);
  }
  return ["people", "pipeline", "insights", "keep_in_touch", "meetups", "trip", "conference", "duplicates"].includes(body.page);
}

startLive((event) => { if (concernsThisPage(event)) scheduleRefresh(); });

const setups = {
  people: () => { setupPeople(); setupBulk(); }, pipeline: setupPipeline, insights: setupInsights,
  keep_in_touch: setupReminderActions,
  person: () => { setupPerson(); setupReminderActions(); setupCadence(); setupPlaceFields(); setupMergeWith(); },
  duplicates: setupDuplicates,
  meetups: setupMeetups, trip: setupPlan, conference: setupPlan, brief: setupBrief, import_csv: setupImportCsv,
  settings: () => { setupSettings(); setupDefaults(); },
};
setupKeys();
setups[body.page]?.();

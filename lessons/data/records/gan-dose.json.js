// The measured record data/records/gan-dose.json (written by `npm run record -- --only gan-dose`), or null.
import {emitRecord} from "../../../data/records.mjs";
emitRecord("gan-dose");

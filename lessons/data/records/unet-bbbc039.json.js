// The measured record data/records/unet-bbbc039.json (written by `npm run record -- --only unet-bbbc039`), or null.
import {emitRecord} from "../../../data/records.mjs";
emitRecord("unet-bbbc039");

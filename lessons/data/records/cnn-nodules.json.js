// The measured record data/records/cnn-nodules.json (written by `npm run record -- --only cnn-nodules`), or null.
import {emitRecord} from "../../../data/records.mjs";
emitRecord("cnn-nodules");

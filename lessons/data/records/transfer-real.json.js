// The measured record data/records/transfer-real.json (written by `npm run record -- --only transfer-real`), or null.
import {emitRecord} from "../../../data/records.mjs";
emitRecord("transfer-real");

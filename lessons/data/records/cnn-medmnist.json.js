// The measured record data/records/cnn-medmnist.json (written by `npm run record -- --only cnn-medmnist`), or null.
import {emitRecord} from "../../../data/records.mjs";
emitRecord("cnn-medmnist");

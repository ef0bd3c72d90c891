import {emitRecord} from "../../../data/records.mjs";
emitRecord("data-problems");

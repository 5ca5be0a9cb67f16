import { lightModel } from './light.js';

/** A dimmable white bulb: `{"state":"ON","brightness":128}`. */
export const dimmableLight = lightModel({ words: 'dimmable light', dimmable: true, colour: false });

export { inspect, describePolicy, describeResult, type InspectResult, type PolicyView, type ProbeView, type ValueView } from './collect.js';
export { formatInspectText } from './text.js';
export { formatInspectJson } from './json.js';
export { runInspect, INSPECT_FORMATS } from './command.js';

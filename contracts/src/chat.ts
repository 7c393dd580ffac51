/** Live chat messages as the widget and the agent console receive them (API and WebSocket). */
import { Type, type Static } from 'typebox';

export const ChatFile = Type.Object({ id: Type.String(), filename: Type.String(), contentType: Type.String(), size: Type.Integer() });
export const ChatMessage = Type.Object({
  seq: Type.Integer(),
  clientId: Type.Union([Type.String(), Type.Null()]),
  author: Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Literal('system')]),
  name: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  /** System messages: what happened (`agent_joined`, `transferred`, `ended`); the client words it. */
  code: Type.Union([Type.String(), Type.Null()]),
  files: Type.Array(ChatFile),
  at: Type.String(),
});
export type ChatFileT = Static<typeof ChatFile>;
export type ChatMessageT = Static<typeof ChatMessage>;

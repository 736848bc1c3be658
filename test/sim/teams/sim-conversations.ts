/** A Teams user as the connector lists them (`TeamsChannelAccount`). */
export interface SimMember {
  /** Teams user id, `29:…`. */
  id: string;
  /** Entra object id: the identity driftwatch authorises. */
  aadObjectId: string;
  name: string;
  userPrincipalName?: string;
  email?: string;
}

export type SimConversationType = 'personal' | 'groupChat' | 'channel';

/** A conversation the simulated service knows: where the bot may post. */
export interface SimConversation {
  id: string;
  conversationType: SimConversationType;
  tenantId: string;
  /** For channel conversations: the team's id (`19:…@thread.tacv2` of its General channel). */
  teamId?: string;
  name?: string;
  members: SimMember[];
  /** The app was uninstalled here: Teams answers the bot 403 BotNotInConversationRoster. */
  botRemoved?: boolean;
  /** Activities in the conversation by id, as they stand now (after updates); deleted ones gone. */
  activities: Map<string, Record<string, unknown>>;
}

/** Conversations by id. A channel thread id (`19:…;messageid=N`) resolves to its channel. */
export class SimConversations {
  private readonly byId = new Map<string, SimConversation>();
  private seq = 0;

  add(conversation: Omit<SimConversation, 'activities' | 'members'> & { members?: SimMember[] }) {
    const stored: SimConversation = {
      members: [],
      ...conversation,
      activities: new Map(),
    };
    this.byId.set(conversation.id, stored);
    return stored;
  }

  /** The conversation `id` names, or its channel when `id` is a thread of it. */
  get(id: string): SimConversation | undefined {
    return this.byId.get(id) ?? this.byId.get(id.split(';messageid=')[0] ?? id);
  }

  all(): SimConversation[] {
    return [...this.byId.values()];
  }

  /** A new message id in Teams' style (milliseconds since the epoch, as a string). */
  nextActivityId(): string {
    this.seq += 1;
    return String(1_764_000_000_000 + this.seq);
  }

  /** A member of any conversation, by Teams user id or Entra object id. */
  findMember(idOrObjectId: string): SimMember | undefined {
    for (const conversation of this.byId.values()) {
      const member = conversation.members.find(
        (m) => m.id === idOrObjectId || m.aadObjectId === idOrObjectId,
      );
      if (member) return member;
    }
    return undefined;
  }
}
